import { ApiError, isAuthError } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightAuth, getCurrentCompany } from '../src/index.js';
import { API, API_KEY, COMPANY, rejectionOf } from './support/fake-light.js';

describe('API key mode', () => {
  it('sends exactly `Basic <key>` (the key as issued, no base64) and never calls /oauth/token', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    const token = nock(API).post('/oauth/token').reply(500);
    const seen: Array<string | null> = [];
    nock(API)
      .get('/v1/companies/current')
      .times(2)
      .reply(async (req: Request) => {
        seen.push(req.headers.get('authorization'));
        return [200, COMPANY];
      });

    expect(auth.mode).toBe('api-key');
    expect(await auth.authorizationHeader()).toBe(`Basic ${API_KEY}`);
    expect(await getCurrentCompany(auth)).toEqual(COMPANY);
    const viaFetch = await auth.fetch(`${API}/v1/companies/current`);
    expect(viaFetch.status).toBe(200);
    expect(seen).toEqual([`Basic ${API_KEY}`, `Basic ${API_KEY}`]);
    expect(seen[0]).not.toContain(Buffer.from(API_KEY).toString('base64'));
    expect(token.isDone()).toBe(false);
  });

  it('a 401 is an ApiError with Light type: no refresh, no retry', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    let calls = 0;
    nock(API)
      .get('/v1/companies/current')
      .reply(() => {
        calls++;
        return [401, { type: 'UNAUTHORIZED', message: 'Credentials are required to access this resource' }];
      });
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(isAuthError(error, 'ERR_API')).toBe(true);
    expect(error).toMatchObject({ status: 401, type: 'UNAUTHORIZED', code: 'ERR_API' });
    expect(error.message).toBe(
      'GET https://api.light.inc/v1/companies/current answered 401 UNAUTHORIZED: Credentials are required to access this resource',
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(calls).toBe(1);
  });

  it('has no tokens to set or refresh: refresh() returns the key, setTokens() is a ConfigError', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    expect(await auth.refresh({ force: true })).toEqual({ accessToken: API_KEY, tokenType: 'basic' });
    await expect(auth.setTokens({ accessToken: 'x', tokenType: 'bearer' })).rejects.toMatchObject({
      name: 'ConfigError',
    });
  });
});
