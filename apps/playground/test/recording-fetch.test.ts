import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@auth/core';
import { createLightAuth, DEFAULT_LIGHT_ALLOWED_HOSTS } from '@auth/light';
import { type Emulators, startEmulators } from '@auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../src/event-log.js';
import { exchangeKind, recordingFetch, redactAuthorization, timelineUrl } from '../src/recording-fetch.js';
import { recordSdkEvents } from '../src/sdk-events.js';
import { SessionStore } from '../src/session.js';

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators({ light: { apiKeys: ['light_test_key'] } });
});
afterAll(() => emulators.close());

describe('the request timeline', () => {
  it('records each hop of a redirect the SDK follows, with the redacted header, linked to the redirect event', async () => {
    const session = new SessionStore({ hasStoredGrant: async () => false }).create().vendors.light;
    const light = createLightAuth({
      baseUrl: emulators.light.url,
      allowedHosts: [...DEFAULT_LIGHT_ALLOWED_HOSTS, emulators.light.filesUrl],
      apiKey: new Secret('light_test_key'),
      fetch: recordingFetch(session.log),
    });
    recordSdkEvents(light, session);
    const response = await light.fetch(`${emulators.light.url}/v1/files/report-7`);
    // The recorder hands the response back untouched.
    expect(await response.text()).toBe('Light file report-7\n');

    const exchanges = session.log.after(0).filter((entry) => entry.source === 'http');
    expect(exchanges.map((entry) => entry.http)).toEqual([
      {
        kind: 'api',
        method: 'GET',
        url: `${emulators.light.url}/v1/files/report-7`,
        status: 302,
        durationMs: expect.any(Number),
        authorization: 'Basic ligh…',
        grantType: undefined,
        location: `${emulators.light.filesUrl}/files/report-7`,
        error: undefined,
      },
      {
        kind: 'api',
        method: 'GET',
        url: `${emulators.light.filesUrl}/files/report-7`,
        status: 200,
        durationMs: expect.any(Number),
        authorization: 'Basic ligh…',
        grantType: undefined,
        location: undefined,
        error: undefined,
      },
    ]);
    const redirect = session.log.after(0).find((entry) => entry.event === 'redirect');
    expect(redirect?.requests).toEqual([exchanges[0]?.id]);
    expect(session.log.causeOf(exchanges[0]?.id ?? -1)).toBe(redirect);
    // Only the redirect claimed a hop: the final answer waits for the action that made the call.
    expect(session.log.causeOf(exchanges[1]?.id ?? -1)).toBeUndefined();
    expect(JSON.stringify(session.log.after(0))).not.toContain('light_test_key');
  });

  it('records a request that got no answer, and never reads a body', async () => {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"SECRET-TOKEN-VALUE"}');
      req.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const log = new EventLog();
    const fetch = recordingFetch(log);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: 'Basic Y2xpZW50OnNlY3JldC12YWx1ZQ==' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'REFRESH-SECRET' }),
      });
      expect(await res.json()).toEqual({ access_token: 'SECRET-TOKEN-VALUE' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(fetch(`http://127.0.0.1:${port}/v2/devices`)).rejects.toThrow(TypeError);
    const [token, failed] = log.after(0).map((entry) => entry.http);
    expect(token).toMatchObject({
      kind: 'token',
      method: 'POST',
      status: 200,
      authorization: 'Basic Y2xp…',
      grantType: 'refresh_token',
    });
    expect(failed).toMatchObject({ kind: 'api', status: undefined, error: 'TypeError' });
    const text = JSON.stringify(log.after(0));
    for (const secret of ['SECRET-TOKEN-VALUE', 'REFRESH-SECRET', 'c2VjcmV0'])
      expect(text).not.toContain(secret);
  });

  it('keeps query values that cannot be secrets, and names the vendors endpoints', () => {
    expect(timelineUrl('https://h.test/oauth2/authorize?client_id=abc&state=S&code=C&_limit=10')).toBe(
      'https://h.test/oauth2/authorize?client_id=abc&state=…&code=…&_limit=10',
    );
    expect(redactAuthorization('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe('eyJh…');
    expect(redactAuthorization('Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe('Bearer eyJh…');
    expect(redactAuthorization(null)).toBeUndefined();
    expect(
      [
        'https://a/oauth/token',
        'https://a/oauth2/token',
        'https://a/v2/users/refreshToken',
        'https://a/v2/users/login',
        'https://a/oauth2/revoke',
        'https://a/v2/users/logout',
        'https://a/v1/companies/current',
      ].map(exchangeKind),
    ).toEqual(['token', 'token', 'token', 'login', 'revoke', 'logout', 'api']);
  });
});
