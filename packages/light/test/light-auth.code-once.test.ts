import { isAuthError, MemoryStore } from '@auth/core';
import { createClock, DEFAULT_LIGHT_CLIENT, type LightEmulator, startLightEmulator } from '@auth/testing';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightAuth, getCurrentCompany } from '../src/index.js';
import { rejectionOf } from './support/fake-light.js';

const REDIRECT = DEFAULT_LIGHT_CLIENT.redirectUris[0] ?? '';
let light: LightEmulator;

beforeAll(async () => {
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  light = await startLightEmulator({ clock: createClock({ frozen: true }) });
});

afterAll(async () => {
  await light?.close();
});

describe('Light emulator: a code is exchanged at most once per Auth', () => {
  it('the same callback handled twice: CodeReusedError, one token request, the grant still works', async () => {
    const auth = createLightAuth({
      baseUrl: light.url,
      clientId: DEFAULT_LIGHT_CLIENT.clientId,
      clientSecret: DEFAULT_LIGHT_CLIENT.clientSecret,
      redirectUri: REDIRECT,
      clock: light.clock,
      store: new MemoryStore({ clock: light.clock }),
    });
    const { state } = await auth.authorizationUrl();
    const code = light.authorize({ clientId: DEFAULT_LIGHT_CLIENT.clientId, redirectUri: REDIRECT });
    const callback = `${REDIRECT}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`;

    await auth.handleCallback(callback, { expectedState: state });
    // A reload of the callback page: sending the code again would make Light revoke the grant it just issued.
    const again = await rejectionOf(auth.handleCallback(callback, { expectedState: state }));

    expect(isAuthError(again, 'ERR_CODE_REUSED')).toBe(true);
    expect(light.requests.count('POST', '/oauth/token')).toBe(1);
    expect(light.tokens.requestCount()).toBe(1);
    await expect(getCurrentCompany(auth)).resolves.toMatchObject({ name: 'Acme Test Company' });
  });
});
