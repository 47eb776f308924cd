import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LightbugEmulator,
  type LightEmulator,
  startLightbugEmulator,
  startLightEmulator,
} from '@auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromEnvironment } from '../src/config.js';
import { type Playground, startPlayground } from '../src/playground.js';
import { HttpBrowser } from './support/test-playground.js';

// "Live" mode, configured from the environment as main.ts does, with the vendors' URLs pointing at standalone
// emulators standing in for the real hosts.
let light: LightEmulator;
let lightbug: LightbugEmulator;
let dataDir: string;

beforeAll(async () => {
  [light, lightbug] = await Promise.all([startLightEmulator(), startLightbugEmulator()]);
  dataDir = await mkdtemp(join(tmpdir(), 'playground-live-'));
});
afterAll(async () => {
  await Promise.all([light.close(), lightbug.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

function start(extra: Record<string, string> = {}): Promise<Playground> {
  const options = optionsFromEnvironment(
    {
      PORT: '0',
      PLAYGROUND_EMULATORS: '0',
      PLAYGROUND_DATA_DIR: dataDir,
      LIGHT_BASE_URL: light.url,
      LIGHTBUG_BASE_URL: lightbug.url,
      ...extra,
    },
    '/unused',
  );
  return startPlayground({ ...options, log: () => undefined });
}

describe('with PLAYGROUND_EMULATORS=0', () => {
  it('starts no emulators and says what is missing', async () => {
    const playground = await start();
    try {
      expect(playground.emulators).toBeUndefined();
      const browser = new HttpBrowser(playground.url);
      const home = await browser.request('/');
      expect(home.body).toContain('Live vendors');
      const lightPage = await browser.request('/light');
      expect(lightPage.body).toContain(
        'Not configured: set <code>LIGHT_CLIENT_ID, LIGHT_CLIENT_SECRET</code>',
      );
      // No demo key outside emulator mode.
      expect(lightPage.body).not.toContain('light_test_key');
      expect(lightPage.body).toContain(`Live <code>${new URL(light.url).host}</code>`);
      const lightfiPage = await browser.request('/lightfi');
      expect(lightfiPage.body).toContain(
        'Not configured: set <code>LIGHTFI_CLIENT_ID, LIGHTFI_CLIENT_SECRET</code>',
      );
      expect(lightfiPage.body).toContain('Live <code>apiv2.lightfi.io</code>');
      const apiKey = await browser.follow('/light/api-key', { form: { apiKey: 'light_test_key' } });
      expect(apiKey.body).toContain('data-field="status">Signed in');
    } finally {
      await playground.close();
    }
  });

  it('keeps a session signed in across a restart (tokens in the FileStore)', async () => {
    const first = await start();
    const browser = new HttpBrowser(first.url);
    try {
      const page = await browser.follow('/lightbug/login', {
        form: { username: 'demo', password: 'demo-password', refreshable: '3600' },
      });
      expect(page.body).toContain('data-field="status">Signed in');
    } finally {
      await first.close();
    }
    const cookie = browser.cookieHeader;
    const second = await start();
    try {
      const res = await fetch(`${second.url}/lightbug`, { headers: { cookie } });
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.text()).toContain('data-field="status">Signed in');
      // An unknown id is not adopted: the browser gets a new session.
      const stranger = await fetch(`${second.url}/lightbug`, {
        headers: { cookie: `playground_sid=${'A'.repeat(43)}` },
      });
      expect(stranger.headers.getSetCookie()).toHaveLength(1);
      expect(await stranger.text()).toContain('data-field="status">Signed out');
    } finally {
      await second.close();
    }
  });

  it("uses LightFi's default callback, the root of the playground", async () => {
    // Nothing listens on port 9: the flow is checked up to the redirect, and the callback is refused on its state.
    const playground = await start({
      LIGHTFI_CLIENT_ID: 'client',
      LIGHTFI_CLIENT_SECRET: 'secret',
      LIGHTFI_AUTH_DOMAIN: 'http://127.0.0.1:9',
    });
    try {
      const browser = new HttpBrowser(playground.url);
      const start = await browser.request('/lightfi/oauth', { form: {} });
      const authorize = new URL(start.headers.get('location') ?? '');
      expect(authorize.origin).toBe('http://127.0.0.1:9');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${playground.url}/`);
      const page = await browser.follow(`/?code=abc&state=forged`);
      expect(page.url).toBe(`${playground.url}/lightfi`);
      expect(page.body).toContain('data-field="error-name">StateMismatchError<');
      // Without a code the root is the overview.
      expect((await browser.request('/')).body).toContain('<h1>Auth Playground</h1>');
    } finally {
      await playground.close();
    }
  });
});
