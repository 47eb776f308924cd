import { describe, expect, it } from 'vitest';
import { createClock, startEmulators, startLightEmulator } from '../src/index.js';

describe('startEmulators', () => {
  it('starts all three on 127.0.0.1 with one shared clock, and closes them', async () => {
    const emulators = await startEmulators({ lightbug: { expiryFormat: 'epoch-seconds' } });
    try {
      const urls = [
        emulators.light.url,
        emulators.light.filesUrl,
        emulators.lightbug.url,
        emulators.lightfi.url,
        emulators.lightfi.authUrl,
      ];
      for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new Set(urls).size).toBe(5);
      expect(emulators.lightbug.clock).toBe(emulators.light.clock);
      expect(emulators.lightfi.clock).toBe(emulators.light.clock);
      const before = emulators.lightfi.clock.now();
      emulators.light.clock.advance(3_600_000);
      expect(emulators.lightfi.clock.now() - before).toBeGreaterThanOrEqual(3_600_000);
      const login = await fetch(`${emulators.lightbug.url}/v2/users/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
      });
      expect(typeof ((await login.json()) as { expiry: unknown }).expiry).toBe('number');
    } finally {
      await emulators.close();
    }
    await expect(fetch(`${emulators.light.url}/v1/users`)).rejects.toThrow(TypeError);
  });

  it('uses the clock it is given, and a vendor’s own clock over it', async () => {
    const shared = createClock({ start: 0, frozen: true });
    const own = createClock({ start: 1, frozen: true });
    const emulators = await startEmulators({ clock: shared, lightfi: { clock: own } });
    try {
      expect(emulators.light.clock).toBe(shared);
      expect(emulators.lightfi.clock).toBe(own);
    } finally {
      await emulators.close();
    }
  });

  it('stops the ones that started when another cannot listen', async () => {
    const blocker = await startLightEmulator();
    try {
      await expect(startEmulators({ lightbug: { port: blocker.port } })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await blocker.close();
    }
  });
});

describe('close', () => {
  it('ends keep-alive connections at once and is idempotent', async () => {
    const light = await startLightEmulator();
    await fetch(`${light.url}/v1/companies/current`, { headers: { Authorization: 'Basic light_test_key' } });
    const started = performance.now();
    await light.close();
    await light.close();
    // Without destroying keep-alive sockets, close() waits for Node's 5 s keep-alive timeout.
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
