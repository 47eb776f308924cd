import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpBrowser,
  signInToLight,
  startTestPlayground,
  type TestPlayground,
} from './support/test-playground.js';

let playground: TestPlayground & { stop(): Promise<void> };

beforeAll(async () => {
  playground = await startTestPlayground();
});
afterAll(() => playground.stop());

function emulators() {
  const running = playground.emulators;
  if (running === undefined) throw new Error('the emulators are not running');
  return running;
}

describe('SDK errors on the page', () => {
  it('a revoked Light grant: the refresh fails, the banner asks to sign in again, the session ends', async () => {
    const browser = new HttpBrowser(playground.url);
    await signInToLight(browser, emulators());
    const [refreshToken] = emulators().light.tokens.validRefreshTokens();
    expect(emulators().light.tokens.revokeFamily(refreshToken ?? '')).toBe(true);
    await browser.follow('/light/expire', { form: {} });
    const page = await browser.follow('/light/call', { form: {} });
    expect(page.body).toContain('data-field="error-name">ReauthRequiredError<');
    expect(page.body).toContain('data-field="error-code">ERR_REAUTH_REQUIRED<');
    expect(page.body).toContain('<dt>reason</dt><dd>invalid_grant</dd>');
    expect(page.body).toContain('data-event="reauth-required"');
    expect(page.body).toContain('data-field="status">Signed out');
    // Shown once: the banner does not come back on the next visit.
    expect((await browser.request('/light')).body).not.toContain('data-banner="error"');
  });

  it('a wrong Lightbug password: the vendor code in the banner, the password never echoed', async () => {
    const browser = new HttpBrowser(playground.url);
    const page = await browser.follow('/lightbug/login', {
      form: { username: 'demo', password: 'not-the-password-42', refreshable: '3600' },
    });
    expect(page.body).toContain('data-field="error-name">TokenEndpointError<');
    expect(page.body).toContain('data-field="error-code">ERR_TOKEN_ENDPOINT<');
    expect(page.body).toContain('<dt>error</dt><dd>LOGIN_FAILED</dd>');
    expect(page.body).not.toContain('not-the-password-42');
    expect(page.body).toContain('data-field="status">Signed out');
  });

  it('a Lightbug API outage: the ApiError in the banner, still signed in', async () => {
    const browser = new HttpBrowser(playground.url);
    await browser.follow('/lightbug/login', {
      form: { username: 'demo', password: 'demo-password', refreshable: '3600' },
    });
    emulators().lightbug.faults.inject(
      'GET /v2/devices',
      { kind: 'status', status: 503 },
      { times: Infinity },
    );
    try {
      const page = await browser.follow('/lightbug/call', { form: {} });
      expect(page.body).toContain('data-field="error-name">ApiError<');
      expect(page.body).toContain('<dt>status</dt><dd>503</dd>');
      // GET is retried by the client on 503 before the error reaches the page.
      expect(emulators().lightbug.requests.count('GET', '/v2/devices')).toBe(3);
      expect(page.body).toContain('data-field="status">Signed in');
      // The timeline shows every attempt. The SDK emits no retry event for a 5xx retry, so all three belong to
      // the action that failed.
      expect(page.body.match(/data-field="status-code">503</g)).toHaveLength(3);
      expect(page.body.match(/← app error #\d+/g)).toHaveLength(3);
    } finally {
      emulators().lightbug.faults.clear();
    }
  });

  it('a wrong Light API key: the heading says the key was refused, the key is never echoed', async () => {
    const browser = new HttpBrowser(playground.url);
    const page = await browser.follow('/light/api-key', { form: { apiKey: 'light_wrong_key_123' } });
    expect(page.body).toContain('data-field="error-title">Light did not accept this API key<');
    expect(page.body).not.toContain('The API answered with an error');
    expect(page.body).toContain('<dt>status</dt><dd>401</dd>');
    expect(page.body).not.toContain('light_wrong_key_123');
    expect(page.body).toContain('Authorization: Basic ligh…');
    expect(page.body).toContain('data-field="status">Signed out');
  });

  it('an empty API key is refused before anything is sent', async () => {
    const browser = new HttpBrowser(playground.url);
    const before = emulators().light.requests.count('GET', '/v1/companies/current');
    const page = await browser.follow('/light/api-key', { form: { apiKey: '  ' } });
    expect(page.body).toContain('data-field="error-code">ERR_CONFIG<');
    expect(page.body).toContain('<dt>apiKey</dt><dd>enter an API key</dd>');
    expect(emulators().light.requests.count('GET', '/v1/companies/current')).toBe(before);
  });
});
