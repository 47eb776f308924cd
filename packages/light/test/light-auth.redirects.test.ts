import { isAuthError, MemoryStore } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightAuth, DEFAULT_LIGHT_ALLOWED_HOSTS, type LightAuth } from '../src/index.js';
import {
  API,
  API_KEY,
  CLIENT_ID,
  CLIENT_SECRET,
  REDIRECT_URI,
  rejectionOf,
  T0,
  testClock,
} from './support/fake-light.js';

async function oauthAuth(extra: { allowedHosts?: string[] } = {}): Promise<LightAuth> {
  const clock = testClock();
  const auth = createLightAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    clock,
    store: new MemoryStore({ clock }),
    ...extra,
  });
  await auth.setTokens({
    accessToken: 'at_current_0123456789',
    tokenType: 'bearer',
    expiresAt: T0 + 3_600_000,
    refreshToken: 'rt_current_0123456789',
  });
  return auth;
}

/** Light redirects `/v1/files/f1` to `location`; records the Authorization header each host received. */
function redirectTo(location: string) {
  const received: Record<string, Array<string | null>> = {};
  const record = (host: string) => async (req: Request) => {
    (received[host] ??= []).push(req.headers.get('authorization'));
    return host === 'api' ? [302, '', { Location: location }] : [200, 'file body'];
  };
  nock(API).get('/v1/files/f1').reply(record('api'));
  const target = new URL(location);
  nock(target.origin).get(target.pathname).reply(record(target.hostname));
  return received;
}

const modes = [
  ['API key', async () => createLightAuth({ apiKey: API_KEY }), `Basic ${API_KEY}`],
  ['OAuth', () => oauthAuth(), 'Bearer at_current_0123456789'],
] as const;

describe.each(modes)('redirects in %s mode', (_mode, make, header) => {
  it('follows a redirect to files.light.inc and keeps the Authorization header (Light requires it)', async () => {
    const auth = await make();
    const received = redirectTo('https://files.light.inc/f1');
    expect(await auth.client.get('v1/files/f1').text()).toBe('file body');
    expect(received).toEqual({ api: [header], 'files.light.inc': [header] });
  });

  it('follows a redirect to evil.example but strips the Authorization header there', async () => {
    const auth = await make();
    const received = redirectTo('https://evil.example/f1');
    expect(await auth.client.get('v1/files/f1').text()).toBe('file body');
    expect(received).toEqual({ api: [header], 'evil.example': [null] });
  });

  it('does the same through auth.fetch', async () => {
    const auth = await make();
    const received = redirectTo('https://evil.example/f1');
    const response = await auth.fetch(`${API}/v1/files/f1`);
    expect(await response.text()).toBe('file body');
    expect(received).toEqual({ api: [header], 'evil.example': [null] });
  });
});

describe('redirect policy options', () => {
  it('replaceDefaultAllowedHosts: files.light.inc no longer gets the header, the listed host does', async () => {
    const auth = createLightAuth({
      apiKey: API_KEY,
      allowedHosts: ['cdn.partner.example'],
      replaceDefaultAllowedHosts: true,
    });
    const toFiles = redirectTo('https://files.light.inc/f1');
    await auth.client.get('v1/files/f1').text();
    expect(toFiles).toEqual({ api: [`Basic ${API_KEY}`], 'files.light.inc': [null] });

    const toPartner = redirectTo('https://cdn.partner.example/f1');
    await auth.client.get('v1/files/f1').text();
    expect(toPartner).toEqual({ api: [`Basic ${API_KEY}`], 'cdn.partner.example': [`Basic ${API_KEY}`] });
  });

  it('spreading the default keeps Light hosts', async () => {
    const auth = await oauthAuth({
      allowedHosts: [...(DEFAULT_LIGHT_ALLOWED_HOSTS as string[]), 'x.example'],
    });
    const received = redirectTo('https://files.light.inc/f1');
    await auth.client.get('v1/files/f1').text();
    expect(received['files.light.inc']).toEqual(['Bearer at_current_0123456789']);
  });

  it('refuses a redirect to plain http', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    nock(API).get('/v1/files/f1').reply(302, '', { Location: 'http://files.light.inc/f1' });
    const error = await rejectionOf(auth.client.get('v1/files/f1').text());
    expect(isAuthError(error, 'ERR_REDIRECT')).toBe(true);
    expect(error).toMatchObject({ reason: 'insecure' });
  });

  it('refuses to send credentials to a host outside the allow-list in the first place', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    const error = await rejectionOf(auth.fetch('https://evil.example/v1/companies/current'));
    expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
  });

  it('the OAuth grant stays under its store key through redirects', async () => {
    const auth = await oauthAuth();
    redirectTo('https://files.light.inc/f1');
    await auth.client.get('v1/files/f1').text();
    expect((await auth.peek())?.accessToken).toBe('at_current_0123456789');
  });
});
