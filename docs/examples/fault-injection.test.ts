import { startLightEmulator } from '@auth/testing';
import { expect, it } from 'vitest';

it('injects faults the next matching requests meet', async () => {
  const light = await startLightEmulator();
  const token = () => fetch(`${light.url}/oauth/token`, { method: 'POST', body: new URLSearchParams() });
  const outage = light.faults.inject('POST /oauth/token', { kind: 'status', status: 503 }, { times: 2 });
  light.faults.inject('GET /v1/files/:id', { kind: 'reset' }); // route patterns work; '* /path' any method; '*' everything

  expect([(await token()).status, (await token()).status, (await token()).status]).toEqual([503, 503, 401]); // then the real answer: no client credentials
  expect(outage.hits).toBe(2);
  expect(light.faults.pending().map((fault) => fault.route)).toEqual(['GET /v1/files/:id']);
  light.faults.clear();
  await light.close();
});
