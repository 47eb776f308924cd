import { inspect } from 'node:util';
import { type AuthEventMap, MemoryStore } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightbugAuth } from '../src/index.js';
import { API, fakeClock, fakeLightbug, leaks, PASSWORD, T0, USERNAME } from './support/fake-lightbug.js';

/** Every way a value is commonly printed. */
function printed(value: unknown): string {
  return [
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 8, showHidden: false }),
    String(value),
    value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : '',
  ].join('\n');
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('secrets never leak', () => {
  it('the auth object holds credentials (reloginOnExpiry) and tokens without printing them', async () => {
    const clock = fakeClock();
    fakeLightbug({ clock });
    const auth = createLightbugAuth({ baseUrl: API, clock, reloginOnExpiry: true });
    await auth.login({ username: USERNAME, password: PASSWORD, refreshable: 600 });
    const tokens = await auth.peek();
    const secrets = [PASSWORD, tokens?.accessToken as string, tokens?.refreshToken as string];
    expect(leaks(printed(auth), secrets)).toEqual([]);
    expect(leaks(printed(await auth.session()), secrets)).toEqual([]);
  });

  it('a fixed token does not print with the auth object', () => {
    const token = 'pat-secret-0123456789';
    const auth = createLightbugAuth({ baseUrl: API, token });
    expect(leaks(printed(auth), [token])).toEqual([]);
  });

  it('login failures hold neither the password nor (echoed) secrets', async () => {
    const password = 'hunter2-but-longer';
    nock(API)
      .post('/v2/users/login')
      .reply(401, { code: 'LOGIN_FAILED', message: `login failed for ${USERNAME} with ${password}` });
    const auth = createLightbugAuth({ baseUrl: API });
    const error = await caught(auth.login({ username: USERNAME, password, refreshable: 60 }));
    expect(error).toMatchObject({ error: 'LOGIN_FAILED' });
    expect(leaks(printed(error), [password])).toEqual([]);
  });

  it('a short password echoed by the server is scrubbed too', async () => {
    const password = 'pw42';
    nock(API)
      .post('/v2/users/login')
      .reply(401, { code: 'LOGIN_FAILED', message: `wrong password '${password}' for ${USERNAME}` });
    const auth = createLightbugAuth({ baseUrl: API });
    const error = await caught(auth.login({ username: USERNAME, password }));
    expect(error).toMatchObject({ error: 'LOGIN_FAILED' });
    expect((error as Error).message).toContain(`wrong password '[redacted]' for ${USERNAME}`);
    expect(leaks(printed(error), [password])).toEqual([]);
  });

  it('a network failure at login holds no password', async () => {
    nock(API).post('/v2/users/login').replyWithError(`socket hang up while sending ${PASSWORD}`);
    const auth = createLightbugAuth({ baseUrl: API });
    const error = await caught(auth.login({ username: USERNAME, password: PASSWORD }));
    expect(error).toMatchObject({ name: 'TransientError' });
    expect(leaks(printed(error), [PASSWORD])).toEqual([]);
  });

  it('a rejected refresh holds neither token, even when the server echoes them', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    const auth = createLightbugAuth({ baseUrl: API, clock, store });
    const accessToken = 'access-token-0123456789';
    const refreshToken = 'refresh-token-0123456789';
    await auth.setTokens({ accessToken, tokenType: 'raw', expiresAt: T0 + 1000, refreshToken });
    nock(API)
      .post('/v2/users/refreshToken')
      .reply(401, {
        code: 'REFRESH_TOKEN_REUSED',
        message: `token ${refreshToken} was used (access ${accessToken})`,
      });
    clock.advance(2000);
    const error = await caught(auth.getToken());
    expect(error).toMatchObject({ name: 'ReauthRequiredError', reason: 'invalid_grant' });
    expect(inspect(error, { depth: 8 })).toContain(
      'REFRESH_TOKEN_REUSED: token [redacted] was used (access [redacted])',
    );
    expect(leaks(printed(error), [accessToken, refreshToken])).toEqual([]);
  });

  it('API errors hold no token, even when the server echoes it', async () => {
    const token = 'pat-secret-0123456789';
    nock(API)
      .get('/v2/devices')
      .reply(403, { code: 'FORBIDDEN', message: `token ${token} may not list devices` });
    const auth = createLightbugAuth({ baseUrl: API, token });
    const error = await caught(auth.listDevices());
    expect(error).toMatchObject({ name: 'ApiError', status: 403, type: 'FORBIDDEN' });
    expect(leaks(printed(error), [token])).toEqual([]);
  });

  it('a websocket URL refused for another host does not print the token', async () => {
    const token = 'pat-secret-0123456789';
    const auth = createLightbugAuth({ baseUrl: API, token });
    const error = await caught(auth.websocketUrl('wss://evil.test/ws'));
    expect(leaks(printed(error), [token])).toEqual([]);
  });

  it('a created personal access token prints redacted, also inside an invalid answer', async () => {
    const value = 'pat-new-secret-0123456789';
    const auth = createLightbugAuth({ baseUrl: API, token: 'session-token-0123456789' });
    nock(API)
      .post('/v2/users/personalAccessTokens')
      .reply(200, { id: 1, token: value, ttl: 60, created: '2026-01-01T00:00:00Z', description: 'x' });
    const pat = await auth.createPersonalAccessToken({ description: 'x', ttl: 60 });
    expect(leaks(printed(pat), [value])).toEqual([]);
    expect(inspect(pat)).toContain('Secret([redacted])');

    nock(API).post('/v2/users/personalAccessTokens').reply(200, { id: '', token: value, ttl: 'long' });
    const error = await caught(auth.createPersonalAccessToken({ description: 'x' }));
    expect(error).toMatchObject({ name: 'ResponseValidationError' });
    expect(leaks(printed(error), [value])).toEqual([]);
  });

  it('events print without token values', async () => {
    const clock = fakeClock();
    fakeLightbug({ clock });
    const auth = createLightbugAuth({ baseUrl: API, clock });
    const events: unknown[] = [];
    auth.on('tokens', (event: AuthEventMap['tokens']) => void events.push(event));
    auth.on('refresh', (event: AuthEventMap['refresh']) => void events.push(event));
    await auth.login({ username: USERNAME, password: PASSWORD, refreshable: 600 });
    clock.advance(3_600_000);
    const tokens = await auth.getToken();
    expect(events).toHaveLength(3);
    expect(
      leaks(printed(events), [PASSWORD, tokens.accessToken, tokens.refreshToken as string, 'rt-1']),
    ).toEqual([]);
  });

  it('ConfigErrors do not print a bad token or password', async () => {
    const token = 'Bearer pat-secret-0123456789';
    let error: unknown;
    try {
      createLightbugAuth({ token });
    } catch (thrown) {
      error = thrown;
    }
    expect(leaks(printed(error), ['pat-secret-0123456789'])).toEqual([]);
    const auth = createLightbugAuth({ baseUrl: API });
    const loginError = await caught(auth.login({ username: '', password: PASSWORD, refreshable: -1 }));
    expect(leaks(printed(loginError), [PASSWORD])).toEqual([]);
  });
});
