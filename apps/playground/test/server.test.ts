import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpBrowser, startTestPlayground, type TestPlayground } from './support/test-playground.js';

let playground: TestPlayground & { stop(): Promise<void> };

beforeAll(async () => {
  playground = await startTestPlayground();
});
afterAll(() => playground.stop());

describe('the server', () => {
  it('serves on localhost with the emulators on loopback ports', () => {
    expect(playground.url).toMatch(/^http:\/\/localhost:\d+$/);
    const emulators = playground.emulators;
    expect(emulators).toBeDefined();
    for (const url of [
      emulators?.light.url,
      emulators?.lightbug.url,
      emulators?.lightfi.url,
      emulators?.lightfi.authUrl,
    ]) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('renders the home page with the three vendors, signed out', async () => {
    const browser = new HttpBrowser(playground.url);
    const res = await browser.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
    for (const vendor of ['light', 'lightbug', 'lightfi']) {
      expect(res.body).toContain(`href="/${vendor}"`);
      expect(res.body).toContain(`data-vendor="${vendor}"`);
    }
    expect(res.body.match(/data-field="status">Signed out</g)).toHaveLength(3);
    expect(res.body).toContain('Local emulators');
  });

  it('renders each vendor page with its sign-in', async () => {
    const browser = new HttpBrowser(playground.url);
    const light = await browser.request('/light');
    expect(light.body).toContain('action="/light/oauth"');
    expect(light.body).toContain('action="/light/api-key"');
    // Emulator mode only: the emulator's public test key is offered.
    expect(light.body).toContain('value="light_test_key"');
    expect((await browser.request('/lightbug')).body).toContain('action="/lightbug/login"');
    expect((await browser.request('/lightfi')).body).toContain('action="/lightfi/oauth"');
  });

  it('sets a random HttpOnly, SameSite=Lax session cookie once', async () => {
    const browser = new HttpBrowser(playground.url);
    const first = await browser.request('/');
    const cookies = first.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^playground_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const again = await browser.request('/light');
    expect(again.headers.getSetCookie()).toEqual([]);
    const other = new HttpBrowser(playground.url);
    await other.request('/');
    expect(other.cookie('playground_sid')).not.toBe(browser.cookie('playground_sid'));
  });

  it('sends security headers', async () => {
    const res = await new HttpBrowser(playground.url).request('/');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain(
      `form-action 'self' ${playground.emulators?.light.url}`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the stylesheet, the script and the icon', async () => {
    const browser = new HttpBrowser(playground.url);
    expect((await browser.request('/assets/playground.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await browser.request('/assets/playground.js')).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await browser.request('/assets/favicon.svg')).status).toBe(200);
  });

  it('answers the state as JSON', async () => {
    const browser = new HttpBrowser(playground.url);
    await browser.request('/');
    const res = await browser.request('/api/state');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const state = JSON.parse(res.body) as { mode: string; vendors: Record<string, { signedIn: boolean }> };
    expect(state.mode).toBe('emulators');
    expect(Object.keys(state.vendors)).toEqual(['light', 'lightbug', 'lightfi']);
    expect(Object.values(state.vendors).every((view) => !view.signedIn)).toBe(true);
  });

  it('refuses cross-origin form posts', async () => {
    const res = await fetch(`${playground.url}/lightbug/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'username=demo&password=demo-password',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(playground.emulators?.lightbug.tokens.requestCount('login')).toBe(0);
  });

  it('redirects another Host name to the canonical origin', async () => {
    const port = new URL(playground.url).port;
    const res = await fetch(`http://127.0.0.1:${port}/light?x=1`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${playground.url}/light?x=1`);
  });

  it('answers 404 for unknown pages and a callback without a sign-in in progress shows an error', async () => {
    const browser = new HttpBrowser(playground.url);
    expect((await browser.request('/nope')).status).toBe(404);
    const page = await browser.follow('/callback/light?code=abc&state=xyz');
    expect(page.url).toBe(`${playground.url}/light`);
    expect(page.body).toContain('StateMismatchError');
    expect(page.body).toContain('ERR_STATE_MISMATCH');
    expect(playground.emulators?.light.tokens.requestCount()).toBe(0);
  });

  it('closes an event stream request without a session with 204', async () => {
    const res = await fetch(`${playground.url}/light/events`);
    expect(res.status).toBe(204);
  });
});
