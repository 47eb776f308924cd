import { type ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDescription } from '../src/cli-emulators.js';
import { parseCliArgs, parseFaultFlag } from '../src/cli-options.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

function resolved(args: string[], files: Record<string, unknown> = {}) {
  const request = parseCliArgs(args, (path) => {
    if (!(path in files)) throw new Error(`no fixture ${path}`);
    return files[path];
  });
  if (request.help) throw new Error('unexpected --help');
  return request;
}

describe('parseCliArgs', () => {
  it('fills in every default, so that what is printed is what runs', () => {
    const { config, json } = resolved([]);
    expect(json).toBe(false);
    expect(config.host).toBe('127.0.0.1');
    expect(config.light.clients).toEqual([
      {
        clientId: 'light-client',
        clientSecret: 'light-secret',
        redirectUris: ['http://localhost:3000/callback/light'],
        name: 'Light Test App',
      },
    ]);
    expect(config.light.apiKeys).toEqual(['light_test_key']);
    expect(config.lightbug.users).toEqual([
      { id: 1, username: 'demo', email: 'demo@lightbug.cloud', password: 'demo-password' },
    ]);
    expect(config.lightfi.clients[0]).toMatchObject({
      clientId: 'lightfi-client',
      clientSecret: 'lightfi-secret',
      accessTokenTtl: 14_400,
      rotateRefreshTokens: false,
    });
    expect(config.faults).toEqual([]);
  });

  it('maps the flags: ports, clients, redirect URIs, keys, users, lifetimes, rotation, clock and faults', () => {
    const { config, json } = resolved([
      '--json',
      '--light-port=4010',
      '--lightfi-auth-port=4020',
      '--control-port=4030',
      '--frozen-clock',
      '--clock-start=2026-01-01T00:00:00Z',
      '--light-client=app:s3cret',
      '--light-redirect-uri=https://app.example.com/callback/light',
      '--light-api-key=second_key',
      '--light-access-token-ttl=60',
      '--lightbug-user=alice:alice-password',
      '--lightfi-client=spa',
      '--lightfi-callback-url=http://127.0.0.1:8080/cb',
      '--lightfi-access-token-ttl=300',
      '--lightfi-rotate-refresh-tokens',
      '--lightfi-user=bob:bob-password',
      '--fault=light POST /oauth/token status=503 x2',
    ]);
    expect(json).toBe(true);
    expect([config.light.port, config.lightfi.authPort, config.controlPort]).toEqual([4010, 4020, 4030]);
    expect(config.clock).toEqual({ start: Date.parse('2026-01-01T00:00:00Z'), frozen: true });
    expect(config.light.clients).toEqual([
      {
        clientId: 'app',
        clientSecret: 's3cret',
        redirectUris: ['http://localhost:3000/callback/light', 'https://app.example.com/callback/light'],
        name: 'Light Test App',
      },
    ]);
    expect(config.light.apiKeys).toEqual(['light_test_key', 'second_key']);
    expect(config.light.accessTokenTtlSeconds).toBe(60);
    expect(config.lightbug.users.map((u) => [u.id, u.username, u.password])).toEqual([
      [1, 'demo', 'demo-password'],
      [2, 'alice', 'alice-password'],
    ]);
    expect(config.lightfi.clients).toHaveLength(1);
    expect(config.lightfi.clients[0]).toMatchObject({
      clientId: 'spa',
      clientSecret: undefined,
      accessTokenTtl: 300,
      rotateRefreshTokens: true,
    });
    expect(config.lightfi.clients[0]?.callbackUrls).toContain('http://127.0.0.1:8080/cb');
    expect(config.lightfi.users.map((u) => u.username)).toEqual(['demo', 'bob']);
    expect(config.faults).toEqual([
      { emulator: 'light', route: 'POST /oauth/token', fault: { kind: 'status', status: 503 }, times: 2 },
    ]);
  });

  it('reads --config, and flags apply on top of it', () => {
    const { config } = resolved(['--config', 'e.json', '--light-api-key', 'flag_key'], {
      'e.json': {
        light: { apiKeys: ['file_key'], refreshTokenTtlSeconds: 86_400 },
        lightbug: { expiryFormat: 'epoch-seconds' },
        faults: [{ emulator: 'lightbug', route: '*', fault: { kind: 'reset' }, times: 'Infinity' }],
      },
    });
    expect(config.light.apiKeys).toEqual(['file_key', 'flag_key']);
    expect(config.light.refreshTokenTtlSeconds).toBe(86_400);
    expect(config.lightbug.expiryFormat).toBe('epoch-seconds');
    expect(config.faults).toEqual([
      { emulator: 'lightbug', route: '*', fault: { kind: 'reset' }, times: 'Infinity' },
    ]);
  });

  it('names the bad flag or configuration field', () => {
    expect(() => parseCliArgs(['--lightbug-port', 'x'])).toThrow(
      "--lightbug-port must be a port number between 0 and 65535, got 'x'",
    );
    expect(() => parseCliArgs(['--nope'])).toThrow(/Unknown option '--nope'/);
    expect(() => parseCliArgs(['--light-client', 'id-only'])).toThrow(
      "--light-client must look like 'name:secret'",
    );
    expect(() => parseCliArgs(['--light-access-token-ttl', '0'])).toThrow(
      "--light-access-token-ttl must be a whole number of seconds >= 1, got '0'",
    );
    expect(() =>
      resolved(['--config', 'c.json'], {
        'c.json': { lightfi: { clients: [{ clientId: 'x', accessTokenTtl: '5' }] } },
      }),
    ).toThrow('c.json: lightfi.clients[0].accessTokenTtl must be an integer, got "5"');
    expect(() => resolved(['--config', 'c.json'], { 'c.json': { light: { apikeys: [] } } })).toThrow(
      /^c\.json: light\.apikeys is not a known field \(known: port, filesPort, clients, apiKeys/,
    );
    expect(() =>
      resolved(['--config', 'c.json'], { 'c.json': { light: { clients: [{ clientId: 'a' }] } } }),
    ).toThrow('c.json: light.clients[0].clientSecret is required');
  });

  it('parses --fault shorthands and refuses malformed ones', () => {
    expect(parseFaultFlag('lightfi post /oauth2/token rate-limit=5 x*')).toEqual({
      emulator: 'lightfi',
      route: 'POST /oauth2/token',
      fault: { kind: 'rate-limit', retryAfterSeconds: 5 },
      times: 'Infinity',
    });
    expect(parseFaultFlag('light GET /v1/users latency=250')).toEqual({
      emulator: 'light',
      route: 'GET /v1/users',
      fault: { kind: 'latency', ms: 250 },
    });
    expect(() => parseFaultFlag('nope GET / reset')).toThrow("--fault: unknown emulator 'nope'");
    expect(() => parseFaultFlag('light GET / status')).toThrow(
      "--fault: status needs =<HTTP status>, got 'status'",
    );
    expect(() => parseFaultFlag('light GET / explode')).toThrow("--fault: unknown kind 'explode'");
  });
});

/** Starts the built CLI through its committed launcher and reads its `--json` line. */
async function startCli(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; info: RunningDescription }> {
  const child = spawn(process.execPath, ['bin/auth-emulators.js', '--json', ...args], { cwd: packageDir });
  let output = '';
  let errors = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  while (!output.includes('\n')) {
    const next = await Promise.race([
      once(child.stdout, 'data') as Promise<[string]>,
      once(child, 'exit').then(() => {
        throw new Error(`auth-emulators exited: ${errors}`);
      }),
    ]);
    output += next[0];
  }
  return { child, info: JSON.parse(output) as RunningDescription };
}

async function control(info: RunningDescription, method: string, path: string, body?: unknown) {
  const response = await fetch(`${info.control.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

describe('auth-emulators (built, as a child process)', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let configDir: string;

  beforeAll(() => {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'pipe' });
    configDir = mkdtempSync(join(tmpdir(), 'auth-emulators-'));
  }, 60_000);

  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  afterAll(() => {
    rmSync(configDir, { recursive: true, force: true });
  });

  it('is linked as a bin by the install, through a committed launcher (not dist/)', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(manifest.bin).toEqual({ 'auth-emulators': './bin/auth-emulators.js' });
    expect(manifest.files).toContain('bin');
    expect(readFileSync(join(packageDir, 'bin/auth-emulators.js'), 'utf8')).toContain(
      "import('../dist/cli.js')",
    );
    // The root package depends on @auth/testing, so `pnpm exec auth-emulators` works from the repository root.
    expect(existsSync(join(repoRoot, 'node_modules/.bin/auth-emulators'))).toBe(true);
    const help = execFileSync(join(repoRoot, 'node_modules/.bin/auth-emulators'), ['--help'], {
      encoding: 'utf8',
    });
    expect(help).toMatch(/^Usage: auth-emulators \[options\]/);
  });

  it('says how to build it when run before dist/ exists', () => {
    const copy = mkdtempSync(join(tmpdir(), 'auth-emulators-unbuilt-'));
    try {
      mkdirSync(join(copy, 'bin'));
      copyFileSync(join(packageDir, 'bin/auth-emulators.js'), join(copy, 'bin/auth-emulators.js'));
      const run = spawnSync(process.execPath, [join(copy, 'bin/auth-emulators.js'), '--help'], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        'auth-emulators: @auth/testing is not built yet: run `pnpm turbo run build --filter @auth/testing`\n',
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('--json: one line with URLs, clients and secrets, keys, users, lifetimes and rotation', async () => {
    const started = await startCli([
      '--light-redirect-uri',
      'https://app.example.com/callback/light',
      '--lightfi-rotate-refresh-tokens',
    ]);
    child = started.child;
    const { info } = started;
    expect(Object.keys(info)).toEqual(['control', 'clock', 'light', 'lightbug', 'lightfi']);
    expect(info.light.clients[0]).toEqual({
      clientId: 'light-client',
      clientSecret: 'light-secret',
      redirectUris: ['http://localhost:3000/callback/light', 'https://app.example.com/callback/light'],
      name: 'Light Test App',
    });
    expect(info.light.apiKeys).toEqual(['light_test_key']);
    expect(info.lightbug.users[0]).toMatchObject({ username: 'demo', password: 'demo-password' });
    expect(info.lightfi.clients[0]).toMatchObject({
      clientSecret: 'lightfi-secret',
      rotateRefreshTokens: true,
    });
    expect(info.lightfi.users[0]).toMatchObject({ username: 'demo', password: 'demo-password' });
    expect(info.lightfi.tokenUrl).toBe(`${info.lightfi.authUrl}/oauth2/token`);

    // The Light README's redirect URI is accepted: the consent page, not 400 INVALID_REDIRECT_URI.
    const authorize = new URL(info.light.authorizeUrl);
    authorize.search = new URLSearchParams({
      client_id: 'light-client',
      redirect_uri: 'https://app.example.com/callback/light',
      state: 'xyz',
    }).toString();
    const page = await fetch(authorize);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="decision" value="approve"');

    // The control endpoint serves the same description.
    const described = await control(info, 'GET', '/');
    expect(described).toEqual({ status: 200, body: { ...info, clock: expect.any(Object) } });

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 30_000);

  it('the control endpoint advances the frozen clock, injects faults and reads the request log', async () => {
    const started = await startCli(['--frozen-clock', '--clock-start', '2026-01-01T00:00:00Z']);
    child = started.child;
    const { info } = started;
    expect(info.clock).toEqual({ now: Date.parse('2026-01-01T00:00:00Z'), frozen: true });
    const lightbug = info.lightbug;
    const user = lightbug.users[0] as { username: string; password: string };

    const login = await fetch(`${lightbug.url}/v2/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const devices = () => fetch(`${lightbug.url}/v2/devices`, { headers: { authorization: token } });
    expect((await devices()).status).toBe(200);

    // One hour and a second later the access token (3600 s) has expired.
    expect(await control(info, 'POST', '/clock/advance', { ms: 3_601_000 })).toEqual({
      status: 200,
      body: { now: Date.parse('2026-01-01T01:00:01Z') },
    });
    expect((await devices()).status).toBe(401);

    // A fault injected from outside meets exactly the next two requests.
    expect(
      await control(info, 'POST', '/faults', {
        emulator: 'lightbug',
        route: 'GET /v2/devices',
        fault: { kind: 'status', status: 503 },
        times: 2,
      }),
    ).toMatchObject({ status: 200 });
    expect((await control(info, 'GET', '/faults')).body).toEqual([
      {
        emulator: 'lightbug',
        route: 'GET /v2/devices',
        fault: { kind: 'status', status: 503 },
        remaining: 2,
        hits: 0,
      },
    ]);
    expect([(await devices()).status, (await devices()).status, (await devices()).status]).toEqual([
      503, 503, 401,
    ]);

    const log = await control(info, 'GET', '/requests?emulator=lightbug&method=GET&path=/v2/devices');
    const entries = log.body as Array<{ emulator: string; status: number; fault?: string; at: number }>;
    expect(entries.map((entry) => [entry.status, entry.fault ?? null])).toEqual([
      [200, null],
      [401, null],
      [503, 'status'],
      [503, 'status'],
      [401, null],
    ]);
    expect(entries.every((entry) => entry.emulator === 'lightbug')).toBe(true);
    expect(entries[0]?.at).toBe(Date.parse('2026-01-01T00:00:00Z'));

    // Bad input is named; reset forgets the log.
    expect(await control(info, 'POST', '/clock/advance', { ms: 'soon' })).toEqual({
      status: 400,
      body: { error: 'ms must be a finite number of milliseconds, got "soon"' },
    });
    expect(
      await control(info, 'POST', '/faults', { emulator: 'light', route: 'GET /', fault: { kind: 'nope' } }),
    ).toMatchObject({
      status: 400,
      body: {
        error: expect.stringMatching(
          /^POST \/faults: body\.fault must be an object with a "kind" of latency/,
        ),
      },
    });
    expect((await control(info, 'POST', '/reset')).status).toBe(200);
    expect((await control(info, 'GET', '/requests')).body).toEqual([]);
  }, 30_000);

  it('--config: a JSON file configures clients, lifetimes and start-up faults', async () => {
    const file = join(configDir, 'emulators.json');
    writeFileSync(
      file,
      JSON.stringify({
        light: {
          clients: [{ clientId: 'app', clientSecret: 'app-secret', redirectUris: ['http://127.0.0.1:9/cb'] }],
        },
        faults: [
          { emulator: 'light', route: 'GET /v1/companies/current', fault: { kind: 'status', status: 500 } },
        ],
      }),
    );
    const started = await startCli(['--config', file]);
    child = started.child;
    expect(started.info.light.clients.map((client) => client.clientId)).toEqual(['app']);
    const read = () =>
      fetch(`${started.info.light.url}/v1/companies/current`, {
        headers: { authorization: 'Basic light_test_key' },
      });
    expect([(await read()).status, (await read()).status]).toEqual([500, 200]);
  }, 30_000);

  it('a bad flag exits 2 naming it', async () => {
    const run = spawn(process.execPath, ['bin/auth-emulators.js', '--light-port', 'x'], { cwd: packageDir });
    let stderr = '';
    run.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const [code] = (await once(run, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain("--light-port must be a port number between 0 and 65535, got 'x'");
  });
});
