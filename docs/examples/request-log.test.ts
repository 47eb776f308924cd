import { startLightEmulator } from '@auth/testing';
import { expect, it } from 'vitest';

it('counts and reads the requests an emulator received', async () => {
  const light = await startLightEmulator();
  await fetch(`${light.url}/v1/users?limit=5`, { headers: { Authorization: 'Basic light_test_key' } });
  await fetch(`${light.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'x' }) });

  expect(light.requests.count('POST', '/oauth/token')).toBe(1); // also count('POST /oauth/token'), count(/regex/), count(fn)
  expect(light.requests.filter('/v1/users')[0]?.query).toEqual({ limit: '5' });
  expect(light.requests.last('POST /oauth/token')?.body).toBe('grant_type=x');
  light.requests.clear();
  expect(light.requests.count()).toBe(0);
  await light.close();
});
