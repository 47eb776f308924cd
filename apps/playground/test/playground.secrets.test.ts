import { DEFAULT_LIGHT_CLIENT, DEFAULT_LIGHTFI_CLIENT } from '@auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpBrowser,
  signInToLight,
  signInToLightFi,
  startTestPlayground,
  type TestPlayground,
} from './support/test-playground.js';

let playground: TestPlayground & { stop(): Promise<void> };
let browser: HttpBrowser;

beforeAll(async () => {
  playground = await startTestPlayground();
  browser = new HttpBrowser(playground.url);
  await browser.request('/');
});
afterAll(() => playground.stop());

function emulators() {
  const running = playground.emulators;
  if (running === undefined) throw new Error('the emulators are not running');
  return running;
}

/** Call, force expiry, call (refreshes), refresh now: every page and event a signed-in user produces. */
async function exercise(vendor: string, expected: string): Promise<void> {
  expect((await browser.follow(`/${vendor}/call`, { form: {} })).body).toContain(expected);
  expect((await browser.follow(`/${vendor}/expire`, { form: {} })).body).toContain('expired');
  const afterRefresh = await browser.follow(`/${vendor}/call`, { form: {} });
  expect(afterRefresh.body).toMatch(/data-field="refreshes">1</);
  expect(afterRefresh.body).toContain('data-event="refresh"');
  await browser.follow(`/${vendor}/refresh`, { form: {} });
  expect((await browser.request(`/${vendor}`)).body).toMatch(/data-field="refreshes">2</);
  await browser.request('/api/state');
  const stream = await browser.readEvents(`/${vendor}/events?after=0`, { minEvents: 5 });
  expect(stream).toContain('"event":"refresh"');
}

describe('signed in to all three vendors through HTTP', () => {
  it('Light: OAuth consent approved, then the resource, an expiry and refreshes', async () => {
    const { authorize, page: signedIn } = await signInToLight(browser, emulators());
    expect(authorize.origin).toBe(emulators().light.url);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${playground.url}/callback/light`);
    expect(signedIn.url).toBe(`${playground.url}/light`);
    expect(signedIn.body).toContain('data-field="status">Signed in');
    await exercise('light', 'Acme Test Company');
  });

  it('Lightbug: v2 login with refreshable, then the resource, an expiry and refreshes', async () => {
    const page = await browser.follow('/lightbug/login', {
      form: { username: 'demo', password: 'demo-password', refreshable: '86400' },
    });
    expect(page.body).toContain('data-field="status">Signed in');
    expect(emulators().lightbug.requests.last('POST /v2/users/login')?.body).toContain('"refreshable":86400');
    await exercise('lightbug', 'Delivery van');
  });

  it('LightFi: hosted sign-in with PKCE, then the resource, an expiry and refreshes', async () => {
    const { authorize, page: signedIn } = await signInToLightFi(browser, emulators());
    expect(authorize.origin).toBe(emulators().lightfi.authUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${playground.url}/callback/lightfi`);
    // The PKCE verifier stays on the server: only its hash travels.
    expect(authorize.searchParams.get('code_verifier')).toBeNull();
    expect(signedIn.url).toBe(`${playground.url}/lightfi`);
    expect(signedIn.body).toContain('data-field="status">Signed in');
    await exercise('lightfi', 'Head Office');
  });

  it('the home page and the JSON state show all three signed in', async () => {
    const home = await browser.request('/');
    expect(home.body.match(/data-field="status">Signed in</g)).toHaveLength(3);
    const state = JSON.parse((await browser.request('/api/state')).body) as {
      vendors: Record<string, { signedIn: boolean; accessToken: string; hasRefreshToken: boolean }>;
    };
    for (const view of Object.values(state.vendors)) {
      expect(view.signedIn).toBe(true);
      expect(view.accessToken).toMatch(/^.{4}…$/);
      expect(view.hasRefreshToken).toBe(true);
    }
  });

  it('no response ever carried a token, a client secret or the session id', () => {
    const { light, lightbug, lightfi } = emulators();
    const tokens = [light, lightbug, lightfi].flatMap((emulator) => [
      ...emulator.tokens.issuedAccessTokens(),
      ...emulator.tokens.issuedRefreshTokens(),
    ]);
    // Two refreshes each, and Lightbug and Light rotate: plenty of values to look for.
    expect(tokens.length).toBeGreaterThanOrEqual(12);
    const secrets = [
      ...tokens,
      DEFAULT_LIGHT_CLIENT.clientSecret,
      DEFAULT_LIGHTFI_CLIENT.clientSecret ?? 'lightfi-secret',
      browser.cookie('playground_sid') ?? 'no cookie',
    ];
    expect(browser.responses.length).toBeGreaterThan(30);
    const leaks = browser.responses.flatMap((response) =>
      secrets
        .filter((secret) => response.body.includes(secret))
        .map((secret) => `${response.url}: ${secret.slice(0, 6)}…`),
    );
    expect(leaks).toEqual([]);
    // The scan would find them: the bodies do talk about the tokens, redacted.
    expect(browser.responses.some((response) => response.body.includes('eyJh…'))).toBe(true);
  });

  it('an API key used to sign in is not shown again', async () => {
    const page = await browser.follow('/light/api-key', { form: { apiKey: 'light_test_key' } });
    expect(page.body).toContain('data-field="method">API key');
    expect(page.body).not.toContain('light_test_key');
    expect(page.body).toContain('Basic ligh…');
    expect((await browser.request('/api/state')).body).not.toContain('light_test_key');
  });

  it('logging out ends each session at the vendor', async () => {
    const tokensBefore = emulators().lightfi.tokens.validRefreshTokens();
    expect(tokensBefore).toHaveLength(1);
    for (const vendor of ['light', 'lightbug', 'lightfi']) {
      const page = await browser.follow(`/${vendor}/sign-out`, { form: {} });
      expect(page.body).toContain('data-field="status">Signed out');
    }
    expect(emulators().lightbug.requests.count('POST', '/v2/users/logout')).toBe(1);
    expect(emulators().lightfi.tokens.validRefreshTokens()).toEqual([]);
    expect(emulators().lightfi.tokens.families()[0]?.revokedReason).toBe('revoked-by-client');
  });
});
