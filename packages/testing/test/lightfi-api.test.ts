import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type LightFiEmulator, startLightFiEmulator } from '../src/index.js';
import { basicAuth, postForm, readJson } from './support/http.js';

const START = Date.UTC(2030, 0, 1, 12, 30);
const NOT_AUTHENTICATED = { detail: 'Not authenticated' };

let lightfi: LightFiEmulator;
let auth: { Authorization: string };

beforeAll(async () => {
  lightfi = await startLightFiEmulator({ clock: createClock({ start: START, frozen: true }) });
});
afterAll(async () => {
  await lightfi.close();
});
beforeEach(async () => {
  lightfi.reset();
  lightfi.clock.set(START);
  const code = lightfi.authorize({ clientId: 'lightfi-client', redirectUri: 'http://localhost:3000/' });
  const response = await postForm(
    `${lightfi.authUrl}/oauth2/token`,
    { grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:3000/' },
    { headers: { Authorization: basicAuth('lightfi-client', 'lightfi-secret') } },
  );
  auth = { Authorization: `Bearer ${String((await readJson(response))['access_token'])}` };
});

function get(path: string, headers: Record<string, string> = auth, redirect: RequestRedirect = 'follow') {
  return fetch(`${lightfi.url}${path}`, { headers, redirect });
}

describe('authentication', () => {
  it('answers 401 {"detail": "Not authenticated"} without a valid bearer token', async () => {
    for (const headers of [
      {},
      { Authorization: 'Bearer nope' },
      { Authorization: auth.Authorization.slice(7) },
    ]) {
      const response = await get('/locations', headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toEqual(NOT_AUTHENTICATED);
    }
  });

  it('stops accepting the access token when it expires on the emulator clock', async () => {
    expect((await get('/locations')).status).toBe(200);
    lightfi.clock.advance(240 * 60 * 1000);
    const response = await get('/locations');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(NOT_AUTHENTICATED);
  });
});

describe('resources', () => {
  it('GET /locations', async () => {
    const response = await get('/locations');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual([
      { id: 1, name: 'Head Office', address: '1 Example Street, London', timezone: 'Europe/London' },
      { id: 2, name: 'Warehouse', address: '22 Dock Road, Bristol', timezone: 'Europe/London' },
    ]);
  });

  it('GET /locations/{location_id}/ with its sensors', async () => {
    const body = await readJson(await get('/locations/2/'));
    expect(body['name']).toBe('Warehouse');
    expect((body['sensors'] as { id: string }[]).map((sensor) => sensor.id)).toEqual(['LFS-0101']);
  });

  it('redirects the slashless spelling with 307, as FastAPI does', async () => {
    const response = await get('/locations/1', auth, 'manual');
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`${lightfi.url}/locations/1/`);
  });

  it('answers FastAPI 404 and 422 bodies', async () => {
    const missing = await get('/locations/9/');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Location not found' });
    const notInt = await get('/locations/abc/');
    expect(notInt.status).toBe(422);
    expect(await notInt.json()).toEqual({
      detail: [
        {
          type: 'int_parsing',
          loc: ['path', 'location_id'],
          msg: 'Input should be a valid integer, unable to parse string as an integer',
          input: 'abc',
        },
      ],
    });
    const route = await get('/nothing');
    expect(route.status).toBe(404);
    expect(await route.json()).toEqual({ detail: 'Not Found' });
  });

  it('GET /sensors/{sensor_id}', async () => {
    expect(await (await get('/sensors/LFS-0001')).json()).toEqual({
      id: 'LFS-0001',
      name: 'Meeting room',
      location_id: 1,
      type: 'multisensor',
      variables: ['CO2ppm', 'temperatureC', 'motionEvent', 'onlineStatus'],
      last_seen: '2024-05-01T10:00:00Z',
    });
    expect(await (await get('/sensors/nope')).json()).toEqual({ detail: 'Sensor not found' });
  });

  it('GET /sensors/{sensor_id}/{var_name}/history: hourly points over the last 24 hours by default', async () => {
    const body = await readJson(await get('/sensors/LFS-0001/CO2ppm/history'));
    const data = body['data'] as { timestamp: string; value: number }[];
    expect(body['sensor_id']).toBe('LFS-0001');
    expect(body['var_name']).toBe('CO2ppm');
    expect(body['unit']).toBe('ppm');
    expect(data).toHaveLength(24);
    expect(data[0]?.timestamp).toBe('2029-12-31T13:00:00.000Z');
    expect(data[23]?.timestamp).toBe('2030-01-01T12:00:00.000Z');
    const again = await readJson(await get('/sensors/LFS-0001/CO2ppm/history'));
    expect(again).toEqual(body);
  });

  it('history takes start and end, and refuses unknown variables', async () => {
    const body = await readJson(
      await get('/sensors/LFS-0101/onlineStatus/history?start=2030-01-01T00:00:00Z&end=2030-01-01T03:00:00Z'),
    );
    expect(body['data']).toEqual([
      { timestamp: '2030-01-01T00:00:00.000Z', value: true },
      { timestamp: '2030-01-01T01:00:00.000Z', value: true },
      { timestamp: '2030-01-01T02:00:00.000Z', value: true },
      { timestamp: '2030-01-01T03:00:00.000Z', value: false },
    ]);
    const unknown = await get('/sensors/LFS-0101/CO2ppm/history');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: 'Variable not found' });
    const badDate = await get('/sensors/LFS-0101/motionEvent/history?start=yesterday');
    expect(badDate.status).toBe(422);
  });
});
