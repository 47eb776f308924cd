import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAuthError } from '@auth/core';
import { createLightbugAuth } from '@auth/lightbug';
import { type LightbugEmulator, startLightbugEmulator } from '@auth/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { aliceDevices } from '../examples/lightbug-file-store.js';
import { devicesThenLogout } from '../examples/lightbug-login.js';
import { selfRenewing } from '../examples/lightbug-relogin.js';
import { ciToken } from '../examples/lightbug-tokens.js';
import { v1Login } from '../examples/lightbug-v1.js';
import { liveUpdates } from '../examples/lightbug-websocket.js';

// packages/lightbug/README.md's examples, against the Lightbug emulator.

let lightbug: LightbugEmulator;
beforeAll(async () => {
  lightbug = await startLightbugEmulator({
    authRateLimitPerMinute: 100,
    users: [
      { id: 1, username: 'demo', email: 'demo@lightbug.cloud', password: 'demo-password' },
      { id: 2, username: 'alice', email: 'alice@example.com', password: 'alice-password' },
    ],
  });
});
afterAll(() => lightbug.close());
beforeEach(() => lightbug.reset());

describe('lightbug README', () => {
  it('v2 login: lists the devices, reads one, fetches, logs out', async () => {
    const { devices, mine, status } = await devicesThenLogout('demo', 'demo-password', lightbug.url);
    expect(devices).toHaveLength(3);
    expect((mine as { id: number }[]).map((device) => device.id)).toEqual(devices.map((device) => device.id));
    expect(status).toBe(200);
    expect(lightbug.requests.count('POST', '/v2/users/login')).toBe(1);
    expect(JSON.parse(lightbug.requests.last('POST /v2/users/login')?.body ?? '{}')).toMatchObject({
      refreshable: 86_400,
    });
    expect(lightbug.requests.count('POST', '/v2/users/logout')).toBe(1);
    expect(lightbug.tokens.validAccessTokens()).toEqual([]);
  });

  it('a file store: the second process finds the session and does not log in again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lightbug-readme-'));
    try {
      expect((await aliceDevices('alice-password', lightbug.url, dir)).data).toEqual([]); // alice owns none
      expect((await aliceDevices('alice-password', lightbug.url, dir)).data).toEqual([]);
      expect(lightbug.requests.count('POST', '/v2/users/login')).toBe(1);
      expect(lightbug.requests.count('GET', '/v2/devices')).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reloginOnExpiry: logs in again once the session (no refresh token) has expired', async () => {
    const auth = await selfRenewing('demo', 'demo-password', lightbug.url);
    lightbug.clock.advance(3_601_000); // Lightbug's clock: the token has expired there
    expect((await auth.listDevices()).data).toHaveLength(3);
    expect(lightbug.requests.count('POST', '/v2/users/login')).toBe(2);
    expect(lightbug.requests.count('GET', '/v2/devices')).toBe(2); // 401, then the retry
    expect(lightbug.requests.count('POST', '/v2/users/refreshToken')).toBe(0);

    lightbug.changePassword('demo', 'new-password'); // the kept credentials are refused from now on
    lightbug.clock.advance(3_601_000);
    const error = await auth.listDevices().catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    await auth.listDevices().catch(() => undefined);
    expect(lightbug.requests.count('POST', '/v2/users/login')).toBe(3); // the refused credentials are not sent again
  });

  it('v1 login: the user comes with the token, which works on v2', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const page = await v1Login('demo@lightbug.cloud', 'demo-password', lightbug.url);
    expect(page.data).toHaveLength(3);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toMatchObject({ id: 1, email: 'demo@lightbug.cloud' });
    // Two weeks after Lightbug's `created`, read through the clock offset its `Date` header (whole seconds) gives.
    const lifetime = (log.mock.calls[0]![1] as Date).getTime() - lightbug.clock.now();
    expect(Math.abs(lifetime - 1_209_600_000)).toBeLessThan(2_000);
    expect(lightbug.requests.count('POST', '/api/users/login')).toBe(1);
    log.mockRestore();
  });

  it('personal access tokens: create, use, list, page, revoke', async () => {
    const auth = createLightbugAuth({ baseUrl: lightbug.url });
    await auth.login({ username: 'demo', password: 'demo-password' });
    const saved: string[] = [];
    const { devices, all, page } = await ciToken(auth, async (value) => {
      saved.push(value);
    });
    expect(saved).toHaveLength(1);
    expect(devices.data).toHaveLength(3);
    expect(lightbug.requests.last('GET /v2/devices')?.headers['authorization']).toBe(saved[0]);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ description: 'CI', ttl: 2_592_000 });
    expect(page).toMatchObject({ limit: 10, page: 1, total: 1 });
    expect(lightbug.personalAccessTokens().map((pat) => [pat.description, pat.revoked])).toEqual([
      ['CI', true],
    ]);
    expect(lightbug.requests.count('DELETE', '/v2/users/personalAccessTokens/:id')).toBe(1);
  });

  it('websockets: the token goes in the URL', async () => {
    const upgrades: IncomingMessage[] = [];
    const server = createServer();
    server.on('upgrade', (request: IncomingMessage, socket) => {
      upgrades.push(request);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const socket = await liveUpdates(createLightbugAuth({ baseUrl, token: 'pat-value' }));
      await new Promise((resolve) => socket.addEventListener('close', resolve));
      expect(socket.url).toBe(`${baseUrl.replace('http:', 'ws:')}/v2/ws?authorization=pat-value`);
      expect(upgrades.map((request) => request.url)).toEqual(['/v2/ws?authorization=pat-value']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
