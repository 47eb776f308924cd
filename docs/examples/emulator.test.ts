import { createLightAuth } from '@auth/light';
import { type LightEmulator, startLightEmulator } from '@auth/testing';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

let light: LightEmulator;
beforeAll(async () => {
  light = await startLightEmulator();
});
afterAll(() => light.close());
beforeEach(() => light.reset());

it('reads the company with an API key', async () => {
  const auth = createLightAuth({ baseUrl: light.url, apiKey: 'light_test_key' }); // your SDK, pointed at the emulator
  expect((await auth.fetch(`${light.url}/v1/companies/current`)).status).toBe(200);
  expect(light.requests.count('GET', '/v1/companies/current')).toBe(1);
});
