import { createLightbugAuth } from '@auth/lightbug';
import { type LightbugEmulator, startLightbugEmulator } from '@auth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let lightbug: LightbugEmulator;
beforeAll(async () => {
  lightbug = await startLightbugEmulator(); // demo / demo-password
});
afterAll(() => lightbug.close());

it('lists the devices of the demo user', async () => {
  const auth = createLightbugAuth({ baseUrl: lightbug.url, clock: lightbug.clock });
  await auth.login({ username: 'demo', password: 'demo-password' });
  expect((await auth.listDevices()).totalElements).toBe(3);
  expect(lightbug.requests.count('POST', '/v2/users/login')).toBe(1);
});
