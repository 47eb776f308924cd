import { ApiError, ConfigError, ResponseValidationError } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuth, parseLightFiApiError } from '../src/index.js';
import { API, AUTH, CLIENT_ID, CLIENT_SECRET, rejectionOf } from './support/fixtures.js';

async function signedIn(): Promise<LightFiAuth> {
  const auth = createLightFiAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  await auth.setTokens({
    accessToken: 'at-0',
    tokenType: 'bearer',
    refreshToken: 'rt-0',
    expiresAt: Date.now() + 3_600_000,
  });
  return auth;
}

describe('listLocations', () => {
  it('GETs /locations with the bearer token and keeps fields it does not check', async () => {
    const auth = await signedIn();
    const body = [
      { id: 1, name: 'Head Office', address: '1 Example Street', timezone: 'Europe/London' },
      { id: 'loc-2', name: null, floors: [1, 2] },
    ];
    let authorization: string | null = null;
    nock(API)
      .get('/locations')
      .reply((request: Request) => {
        authorization = request.headers.get('authorization');
        return [200, body];
      });
    expect(await auth.listLocations()).toEqual(body);
    expect(authorization).toBe('Bearer at-0');
  });

  it('names the bad field of a malformed answer', async () => {
    const auth = await signedIn();
    nock(API)
      .get('/locations')
      .reply(200, [{ id: 1, name: 'ok' }, { name: 'no id' }]);
    const error = await rejectionOf(auth.listLocations());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).path).toBe('1.id');
    expect((error as Error).message).toBe(
      'Invalid LightFi locations response: 1.id: must be a string or a number',
    );
  });

  it('refuses an answer that is not a list', async () => {
    const auth = await signedIn();
    nock(API).get('/locations').reply(200, { data: [] });
    const error = await rejectionOf(auth.listLocations());
    expect((error as ResponseValidationError).path).toBe('(body)');
    expect((error as Error).message).toBe('Invalid LightFi locations response: (body): must be an array');
  });

  it('refreshes once and retries once after a 401, then succeeds', async () => {
    const auth = await signedIn();
    let tokenRequests = 0;
    nock(AUTH)
      .post('/oauth2/token')
      .reply(() => {
        tokenRequests++;
        return [200, { access_token: 'at-1', expires_in: 14400, token_type: 'Bearer' }];
      });
    const seen: Array<string | null> = [];
    nock(API)
      .get('/locations')
      .times(2)
      .reply((request: Request) => {
        const authorization = request.headers.get('authorization');
        seen.push(authorization);
        return authorization === 'Bearer at-1'
          ? [200, [{ id: 1, name: 'Head Office' }]]
          : [401, { detail: 'Not authenticated' }];
      });
    expect(await auth.listLocations()).toEqual([{ id: 1, name: 'Head Office' }]);
    expect(seen).toEqual(['Bearer at-0', 'Bearer at-1']);
    expect(tokenRequests).toBe(1);
    expect((await auth.peek())?.refreshToken).toBe('rt-0');
  });

  it('gives up after one retry: the second 401 is an ApiError', async () => {
    const auth = await signedIn();
    let tokenRequests = 0;
    nock(AUTH)
      .post('/oauth2/token')
      .reply(() => {
        tokenRequests++;
        return [200, { access_token: 'at-1', expires_in: 14400, token_type: 'Bearer' }];
      });
    let apiRequests = 0;
    nock(API)
      .get('/locations')
      .times(3)
      .reply(() => {
        apiRequests++;
        return [401, { detail: 'Not authenticated' }, { 'WWW-Authenticate': 'Bearer' }];
      });
    const error = await rejectionOf(auth.listLocations());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      'GET https://apiv2.lightfi.io/locations answered 401: Not authenticated',
    );
    expect(apiRequests).toBe(2);
    expect(tokenRequests).toBe(1);
  });
});

describe('getSensor', () => {
  it.each([
    ['LFS-0001', '/sensors/LFS-0001'],
    [42, '/sensors/42'],
    ['a/b c', '/sensors/a%2Fb%20c'],
  ])('GETs the sensor %j at %s', async (id, path) => {
    const auth = await signedIn();
    const sensor = { id, name: 'Meeting room', location_id: 1, variables: ['CO2ppm'] };
    nock(API).get(path).reply(200, sensor);
    expect(await auth.getSensor(id)).toEqual(sensor);
  });

  it.each([[''], ['  '], [Number.NaN]])('refuses the id %j before sending anything', async (id) => {
    const auth = await signedIn();
    const error = await rejectionOf(auth.getSensor(id as string));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { option: 'id', message: 'must be a non-empty string or a finite number' },
    ]);
  });

  it('names a bad name field', async () => {
    const auth = await signedIn();
    nock(API).get('/sensors/s1').reply(200, { id: 's1', name: 7 });
    const error = await rejectionOf(auth.getSensor('s1'));
    expect((error as ResponseValidationError).path).toBe('name');
  });

  it("maps FastAPI's 404 {detail} to ApiError", async () => {
    const auth = await signedIn();
    nock(API).get('/sensors/nope').reply(404, { detail: 'Sensor not found' });
    const error = await rejectionOf(auth.getSensor('nope'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, type: undefined, method: 'GET' });
    expect((error as Error).message).toBe(
      'GET https://apiv2.lightfi.io/sensors/nope answered 404: Sensor not found',
    );
  });

  it("maps FastAPI's 422 validation list to ApiError type validation_error, without the echoed input", async () => {
    const auth = await signedIn();
    nock(API)
      .get('/sensors/x')
      .reply(422, {
        detail: [
          {
            type: 'int_parsing',
            loc: ['path', 'sensor_id'],
            msg: 'Input should be a valid integer',
            input: 'x-secret-ish-input',
          },
        ],
      });
    const error = await rejectionOf(auth.getSensor('x'));
    expect(error).toMatchObject({ status: 422, type: 'validation_error' });
    expect((error as Error).message).toBe(
      'GET https://apiv2.lightfi.io/sensors/x answered 422 validation_error: path.sensor_id: Input should be a valid integer',
    );
  });

  it('falls back to the raw text of a non-JSON error', async () => {
    const auth = await signedIn();
    nock(API).get('/sensors/s1').reply(500, 'Internal Server Error');
    const error = await rejectionOf(auth.getSensor('s1'));
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toBe(
      'GET https://apiv2.lightfi.io/sensors/s1 answered 500: Internal Server Error',
    );
  });
});

describe('parseLightFiApiError', () => {
  it('reads string and list details and leaves other bodies to core', () => {
    expect(parseLightFiApiError({ detail: 'Not authenticated' }, 401)).toEqual({
      message: 'Not authenticated',
    });
    expect(parseLightFiApiError({ detail: [{ loc: ['query', 'end'], msg: 'bad' }, 'plain'] }, 422)).toEqual({
      type: 'validation_error',
      message: 'query.end: bad; plain',
    });
    expect(parseLightFiApiError({ detail: [] }, 422)).toEqual({
      type: 'validation_error',
      message: undefined,
    });
    expect(parseLightFiApiError({ message: 'other' }, 400)).toBeUndefined();
    expect(parseLightFiApiError('text', 500)).toBeUndefined();
    expect(parseLightFiApiError({ detail: { nested: true } }, 400)).toBeUndefined();
  });
});
