import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH, chromiumProblem, requirement } from '@auth/test-support/requirements';
import type { Emulators } from '@auth/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlayground, type TestPlayground } from './support/test-playground.js';

const available = requirement('playground', 'the e2e tests', chromiumProblem());
const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

let playground: TestPlayground & { stop(): Promise<void> };
let context: BrowserContext;
let profile: string;

function emulators(): Emulators {
  const running = playground.emulators;
  if (running === undefined) throw new Error('the emulators are not running');
  return running;
}

/** Waits until an element shows exactly this text (the page may still be navigating). */
async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(`${selector}:text-is("${text}")`).first().waitFor();
}

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${playground.url}${path}`);
  return page;
}

async function callResource(page: Page, expected: string): Promise<void> {
  await page.getByRole('button', { name: /^Call / }).click();
  await page.locator('[data-field="json"]', { hasText: expected }).waitFor();
}

/** Force expiry, then a call: the SDK refreshes first, the counter and the log show it. */
async function forceExpiryAndSeeRefresh(page: Page, expected: string): Promise<void> {
  await waitForText(page, '[data-field="refreshes"]', '0');
  await page.getByRole('button', { name: 'Force expiry' }).click();
  await page.locator('[data-field="expires"].is-expired').waitFor();
  expect(await page.locator('[data-field="expires"]').textContent()).toMatch(/^expired \d+s ago$/);
  await callResource(page, expected);
  await waitForText(page, '[data-field="refreshes"]', '1');
  await page.locator('#event-log [data-event="refresh"]').first().waitFor();
  expect(await page.locator('#event-log [data-event="refresh"] p').first().textContent()).toMatch(
    /^Refreshed \(expired\)/,
  );
  expect(await page.locator('[data-field="expires"]').textContent()).toMatch(/^in \d+[hm] \d+[ms]$/);
}

/**
 * Screenshots at 1280 px and 390 px, light and dark. At 390 px nothing may stick out sideways and every tab must
 * be inside the screen.
 */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({
        path: join(SCREENSHOTS, `${name}-${width}-${colorScheme}.png`),
        fullPage: true,
        animations: 'disabled',
      });
    }
    if (width === 390) {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      for (const tab of await page.locator('.tab').all()) {
        const box = await tab.boundingBox();
        expect((box?.x ?? 0) + (box?.width ?? 999)).toBeLessThanOrEqual(390);
      }
      expect(await page.locator('.topbar-mode .pill').isVisible()).toBe(true);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Text of the newest timeline row of a kind. */
async function newestExchange(page: Page, kind: string): Promise<string> {
  return (await page.locator(`#timeline [data-kind="${kind}"]`).first().textContent()) ?? '';
}

async function expectSignedOut(page: Page, vendor: string): Promise<void> {
  await page.waitForURL(`${playground.url}/${vendor}`);
  await waitForText(page, '[data-field="status"]', 'Signed out');
  expect(await page.locator('[data-field="json"]').count()).toBe(0);
}

describe.skipIf(!available)('in Chromium', () => {
  beforeAll(async () => {
    playground = await startTestPlayground();
    profile = await mkdtemp(join(tmpdir(), 'playground-chromium-'));
    await mkdir(SCREENSHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: playground.url });
    // Chromium drops session cookies when its last window closes: this tab keeps one browser session for the run,
    // as a developer's open browser would.
    await context.pages()[0]?.goto('about:blank');
  });

  afterAll(async () => {
    await context?.close();
    await playground?.stop();
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  });

  it('Light: consent approved, the company, a forced expiry refreshed, log out', async () => {
    const page = await open('/light');
    await page.getByRole('button', { name: 'Continue with Light' }).click();
    await page.waitForURL(`${emulators().light.url}/oauth/authorize?**`);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${playground.url}/light`);
    await waitForText(page, '[data-field="status"]', 'Signed in');
    expect(await page.locator('[data-field="method"]').textContent()).toBe('OAuth 2.0 · authorization code');
    expect(await page.locator('[data-field="header"]').textContent()).toBe('Bearer eyJh…');
    expect(await page.locator('[data-field="refresh-token"]').textContent()).toBe('present');
    // The code panel shows the call behind the callback; the timeline the code exchange, caused by the tokens
    // it stored.
    expect(await page.locator('[data-snippet="callback"]').textContent()).toContain(
      'await light.handleCallback(callbackUrl, { expectedState: session.state });',
    );
    const exchange = await newestExchange(page, 'token');
    expect(exchange).toContain(`POST${new URL(emulators().light.url).host}/oauth/token200`);
    expect(exchange).toContain('grant_type=authorization_code');
    expect(exchange).toMatch(/← sdk tokens #\d+/);
    expect(await page.locator('[data-field="refresh-reason"]').textContent()).toContain('No refresh yet');
    expect(await page.locator('[data-field="jwt-claims"]').textContent()).toContain('exp');

    // Actions update the page in place: no navigation happens.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await callResource(page, '"name": "Acme Test Company"');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(await page.locator('[data-snippet="call"]').textContent()).toBe(
      'const company = await getCurrentCompany(light);',
    );
    const curl = (await page.locator('[data-curl="call"]').textContent()) ?? '';
    expect(curl).toContain(`curl -sS '${emulators().light.url}/v1/companies/current'`);
    expect(curl).toContain('-H "Authorization: Bearer $ACCESS_TOKEN"');
    for (const token of emulators().light.tokens.issuedAccessTokens()) expect(curl).not.toContain(token);
    const apiCall = await newestExchange(page, 'api');
    expect(apiCall).toContain('/v1/companies/current200');
    expect(apiCall).toContain('Authorization: Bearer eyJh…');
    expect(apiCall).toMatch(/← app request #\d+/);
    // Copy puts the snippet on the clipboard.
    await page.locator('button[data-copy="curl-call"]').click();
    await waitForText(page, 'button[data-copy="curl-call"]', 'Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);

    // A redirect: both hops in the timeline, the first claimed by the SDK's redirect event, the credential kept
    // on Light's files host.
    await page.getByRole('button', { name: 'Follow a redirect' }).click();
    await page.locator('[data-field="json"]', { hasText: 'Light file playground-demo.txt' }).waitFor();
    const filesHost = new URL(emulators().light.filesUrl).host;
    const [landed, hop] = await page.locator('#timeline [data-kind="api"]').allTextContents();
    expect(hop).toMatch(
      /GET.*\/v1\/files\/playground-demo\.txt302.*Authorization: Bearer eyJh….*← sdk redirect #\d+/,
    );
    expect(hop).toContain(`→ ${emulators().light.filesUrl}/files/playground-demo.txt`);
    expect(landed).toContain(`GET${filesHost}/files/playground-demo.txt200`);
    expect(landed).toMatch(/Authorization: Bearer eyJh….*← app request #\d+/);
    expect(await page.locator('[data-snippet="redirect"]').textContent()).toContain('await light.fetch(');
    expect(await page.locator('#event-log [data-event="redirect"] p').first().textContent()).toBe(
      'Followed a 302 redirect, credentials kept',
    );

    await forceExpiryAndSeeRefresh(page, 'Acme Test Company');
    expect(emulators().light.tokens.requestCount('refresh_token')).toBe(1);
    // Force expiry issued nothing, and its log entries say so.
    expect(await page.locator('#event-log [data-event="expire"] p').first().textContent()).toBe(
      'Marked the stored access token as expired (no request sent, no token issued)',
    );
    expect(await page.locator('#event-log [data-event="tokens"] p').allTextContents()).toContain(
      'Stored token rewritten as expired by setTokens(): no new token was issued',
    );
    // The legend's tags look exactly like the log's: sdk filled, app outlined, whatever the entry's outcome.
    const look = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => {
          const style = getComputedStyle(el);
          return `${style.backgroundColor} ${style.color} ${style.borderTopColor}`;
        });
    expect(await look('#event-log [data-event="refresh"] .tag')).toBe(await look('.log-legend .tag-sdk'));
    expect(await look('#event-log [data-event="request"] .tag')).toBe(await look('.log-legend .tag-app'));
    expect(await look('.log-legend .tag-sdk')).not.toBe(await look('.log-legend .tag-app'));
    const refresh = await newestExchange(page, 'token');
    expect(refresh).toContain('grant_type=refresh_token');
    expect(refresh).toMatch(/← sdk refresh #\d+/);
    expect(await page.locator('[data-field="refresh-reason"]').textContent()).toMatch(
      /^Refreshed because the access token had expired \(expired, [\d:]+\); the refresh token was rotated\.$/,
    );
    await screenshots(page, 'light');

    await page.getByRole('button', { name: 'Log out' }).click();
    await expectSignedOut(page, 'light');
    await page.close();
  });

  it('Light: denying consent shows the SDK error', async () => {
    const page = await open('/light');
    await page.getByRole('button', { name: 'Continue with Light' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${playground.url}/light`);
    const banner = page.locator('[data-banner="error"]');
    await banner.waitFor();
    expect(await banner.locator('[data-field="error-name"]').textContent()).toBe('AuthorizationDeniedError');
    expect(await banner.locator('[data-field="error-code"]').textContent()).toBe('ERR_AUTHORIZATION_DENIED');
    expect(await banner.textContent()).toContain('access_denied');
    await waitForText(page, '[data-field="status"]', 'Signed out');
    await page.close();
  });

  it('Light: API key mode', async () => {
    const page = await open('/light');
    expect(await page.locator('#api-key').inputValue()).toBe('light_test_key');
    await page.getByRole('button', { name: 'Use API key' }).click();
    await waitForText(page, '[data-field="method"]', 'API key');
    expect(await page.locator('[data-field="header"]').textContent()).toBe('Basic ligh…');
    expect(await page.locator('[data-field="expires"]').textContent()).toBe('never');
    expect(await page.getByRole('button', { name: 'Force expiry' }).count()).toBe(0);
    await callResource(page, 'Acme Test Company');
    expect(emulators().light.requests.last('GET /v1/companies/current')?.headers['authorization']).toBe(
      'Basic light_test_key',
    );
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectSignedOut(page, 'light');
    await page.close();
  });

  it('Lightbug: username and password, devices, a forced expiry refreshed (live in another tab), log out', async () => {
    const page = await open('/lightbug');
    await page.fill('#username', 'demo');
    await page.fill('#password', 'demo-password');
    await page.selectOption('#refreshable', '86400');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page, '[data-field="status"]', 'Signed in');
    // Lightbug's header is the raw token, no scheme word.
    expect(await page.locator('[data-field="header"]').textContent()).toBe('eyJh…');

    expect(await newestExchange(page, 'login')).toMatch(
      /POST.*\/v2\/users\/login200.*no Authorization.*← sdk tokens #\d+/,
    );

    await callResource(page, '"name": "Delivery van"');
    expect(await page.locator('[data-curl="call"]').textContent()).toContain(
      '-H "Authorization: $ACCESS_TOKEN"',
    );
    await forceExpiryAndSeeRefresh(page, 'Delivery van');
    expect(await newestExchange(page, 'token')).toMatch(
      /\/v2\/users\/refreshToken200.*no Authorization.*← sdk refresh #\d+/,
    );
    expect(await page.locator('[data-field="refresh-expires"]').textContent()).toMatch(/in 1d 0h/);
    await screenshots(page, 'lightbug');

    // The event log is live: a refresh made in one tab appears in the other without a reload.
    const watcher = await open('/lightbug');
    await watcher.locator('#live.is-live').waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await waitForText(watcher, '[data-field="refreshes"]', '2');
    expect(await watcher.locator('#event-log [data-event="refresh"] p').first().textContent()).toBe(
      'Refreshed (forced), refresh token rotated',
    );
    await watcher.close();

    await waitForText(page, '[data-field="refreshes"]', '2');
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectSignedOut(page, 'lightbug');
    expect(emulators().lightbug.requests.count('POST', '/v2/users/logout')).toBe(1);
    expect(await newestExchange(page, 'logout')).toMatch(
      /\/v2\/users\/logout200.*Authorization: eyJh….*← app sign-out #\d+/,
    );
    expect(await page.locator('[data-snippet="sign-out"]').textContent()).toContain(
      'await lightbug.logout();',
    );
    await page.close();
  });

  it('LightFi: hosted sign-in with PKCE, locations, a forced expiry refreshed, revoke', async () => {
    const page = await open('/lightfi');
    await page.getByRole('button', { name: 'Continue with LightFi' }).click();
    await page.waitForURL(`${emulators().lightfi.authUrl}/oauth2/authorize?**`);
    await page.fill('#username', 'demo');
    await page.fill('#password', 'demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${playground.url}/lightfi`);
    await waitForText(page, '[data-field="status"]', 'Signed in');
    expect(await page.locator('[data-field="method"]').textContent()).toBe('OAuth 2.0 · code + PKCE');

    expect(await page.locator('[data-snippet="callback"]').textContent()).toContain(
      'codeVerifier: session.codeVerifier',
    );
    // Cognito's token endpoint takes the client's Basic credentials: redacted like any other.
    expect(await newestExchange(page, 'token')).toMatch(
      /\/oauth2\/token200.*Authorization: Basic \S{4}….*grant_type=authorization_code/,
    );

    await callResource(page, '"name": "Head Office"');
    await forceExpiryAndSeeRefresh(page, 'Head Office');
    await screenshots(page, 'lightfi');

    await page.getByRole('button', { name: 'Revoke & log out' }).click();
    await expectSignedOut(page, 'lightfi');
    expect(emulators().lightfi.tokens.validRefreshTokens()).toEqual([]);
    expect(await newestExchange(page, 'revoke')).toMatch(
      /POST.*\/oauth2\/revoke200.*Authorization: Basic \S{4}….*← app sign-out #\d+/,
    );
    expect(await page.locator('[data-snippet="sign-out"]').textContent()).toContain(
      'await lightfi.revoke();',
    );
    await page.close();
  });

  it('the overview shows every vendor, with this session signed in to two', async () => {
    const page = await open('/lightbug');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page, '[data-field="status"]', 'Signed in');
    await page.goto(`${playground.url}/light`);
    await page.getByRole('button', { name: 'Use API key' }).click();
    await waitForText(page, '[data-field="status"]', 'Signed in');
    await page.goto(`${playground.url}/`);
    expect(await page.locator('.vendor-card').count()).toBe(3);
    await waitForText(page, '[data-vendor="lightbug"] [data-field="status"]', 'Signed in');
    expect(await page.locator('[data-vendor="light"] [data-field="status"]').textContent()).toBe('Signed in');
    expect(await page.locator('[data-vendor="lightfi"] [data-field="status"]').textContent()).toBe(
      'Signed out',
    );
    // The whole run was one browser session: the refreshes of the tests above are counted.
    expect(await page.locator('[data-vendor="lightbug"] [data-field="refreshes"]').textContent()).toBe('2');
    await screenshots(page, 'home');
    await page.close();
  });
});
