import { parseArgs } from 'node:util';
import type { TokenSet, TokenStore } from '@auth/core';
import { openBrowser } from './browser.js';
import { toCliError } from './errors-to-exit.js';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes.js';
import { type GrantRecord, readGrantIndex, updateGrantIndex, type Vendor } from './grant-index.js';
import { startLoopbackReceiver } from './loopback.js';
import { type Io, readSecret } from './prompt.js';
import { defaultStoreSpec, type OpenedStore, openStore } from './store-spec.js';
import {
  defaultKey,
  endGrant,
  LIGHTFI_DEFAULT_REDIRECT_URI,
  lifetimeMs,
  lightbugLogin,
  refreshGrant,
  type Secrets,
  startBrowserLogin,
  VENDOR_NAMES,
} from './vendors.js';

/** `auth-sdk --help`. */
export const USAGE = `auth-sdk: sign in once from a terminal, and keep the grant where your services read it.

Usage:
  auth-sdk login lightfi  [--client-id ID] [--redirect-uri URI | --port N] [--base-url URL] [--auth-url URL]
                          [--access-token-lifetime 240m] [--refresh-token-lifetime 3650d] [--client-auth basic|body]
  auth-sdk login light    --client-id ID --redirect-uri URI [--base-url URL]
  auth-sdk login lightbug --username NAME [--refreshable SECONDS] [--base-url URL]
  auth-sdk status         [--key KEY] [--json]
  auth-sdk refresh        [--key KEY]
  auth-sdk logout         [--key KEY]        (also: revoke)

Every command takes --store file:PATH | redis://HOST:PORT/DB (default: $AUTH_SDK_STORE, else
file:~/.config/auth-sdk/tokens) and --key KEY (default: the vendor package's own store key).
login also takes --no-browser (print the URL only) and --timeout SECONDS (default 300).

Secrets are read from the environment or asked for without echo, never taken as flags:
  LIGHTFI_CLIENT_SECRET, LIGHT_CLIENT_SECRET, LIGHTBUG_PASSWORD
  (and LIGHTFI_CLIENT_ID, LIGHT_CLIENT_ID, LIGHTBUG_USERNAME instead of the flags)

Exit status: 0 ok, 1 refused or failed, 2 usage, 3 port in use, 4 state mismatch, 5 denied, 6 timeout,
7 no such grant, 8 sign in again.
`;

const OPTIONS = {
  store: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'client-id': { type: 'string' },
  'redirect-uri': { type: 'string' },
  port: { type: 'string' },
  'base-url': { type: 'string' },
  'auth-url': { type: 'string' },
  'access-token-lifetime': { type: 'string' },
  'refresh-token-lifetime': { type: 'string' },
  'client-auth': { type: 'string' },
  username: { type: 'string' },
  refreshable: { type: 'string' },
  'no-browser': { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

type Flags = ReturnType<typeof parseFlags>['values'];

const SECRET_FLAGS: Record<string, string> = {
  '--client-secret': 'LIGHTFI_CLIENT_SECRET or LIGHT_CLIENT_SECRET',
  '--password': 'LIGHTBUG_PASSWORD',
  '--refresh-token': 'nothing: auth-sdk login gets the refresh token itself',
  '--secret': 'LIGHTFI_CLIENT_SECRET or LIGHT_CLIENT_SECRET',
};

function parseFlags(argv: readonly string[]) {
  for (const arg of argv) {
    const flag = arg.split('=', 1)[0] ?? '';
    const instead = SECRET_FLAGS[flag];
    if (instead !== undefined) {
      throw new CliError(
        ExitCode.USAGE,
        `${flag} is not accepted: secrets are never taken on the command line (shell history, ps). Set ${instead}, or run in a terminal to be asked`,
      );
    }
  }
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      ExitCode.USAGE,
      `${/^[^.]*\./.exec(message)?.[0] ?? 'Bad arguments.'} auth-sdk --help lists the flags`,
    );
  }
}

const VENDORS: readonly Vendor[] = ['lightfi', 'light', 'lightbug'];
const SECRET_ENV: Record<Vendor, string | undefined> = {
  lightfi: 'LIGHTFI_CLIENT_SECRET',
  light: 'LIGHT_CLIENT_SECRET',
  lightbug: undefined,
};

function positiveInteger(flag: string, value: string, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1 || number > max) {
    throw new CliError(ExitCode.USAGE, `--${flag} must be a whole number from 1 to ${max}, got "${value}"`);
  }
  return number;
}

function httpUrl(flag: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // reported below
  }
  throw new CliError(ExitCode.USAGE, `--${flag} must be an http(s) URL, got "${value}"`);
}

async function secretsFor(io: Io, vendor: Vendor): Promise<Secrets> {
  const name = SECRET_ENV[vendor];
  if (name === undefined) return {};
  return { clientSecret: await readSecret(io, name, `The ${VENDOR_NAMES[vendor]} client secret`) };
}

async function withStore<T>(flags: Flags, io: Io, task: (opened: OpenedStore) => Promise<T>): Promise<T> {
  const opened = await openStore(flags.store ?? io.env['AUTH_SDK_STORE'] ?? defaultStoreSpec(io.env));
  try {
    return await task(opened);
  } finally {
    await opened.close();
  }
}

/**
 * Writes a new grant and its record, or nothing: when the record cannot be written the grant is taken back (the
 * previous entry restored), so the store never holds a grant the CLI does not know.
 */
async function saveGrant(
  store: TokenStore,
  key: string,
  tokens: TokenSet,
  record: GrantRecord,
): Promise<void> {
  const previous = await store.get(key);
  await store.set(key, tokens);
  try {
    await updateGrantIndex(store, (grants) => {
      grants[key] = record;
    });
  } catch (error) {
    if (previous === undefined) await store.delete(key).catch(() => {});
    else await store.set(key, previous.tokens).catch(() => {});
    throw error;
  }
}

function loginRecord(vendor: Vendor, flags: Flags, io: Io): GrantRecord {
  const record: GrantRecord = { vendor, signedInAt: 0, rotates: vendor === 'lightfi' ? null : true };
  if (flags['base-url'] !== undefined) record.baseUrl = httpUrl('base-url', flags['base-url']);
  if (flags['auth-url'] !== undefined) {
    if (vendor !== 'lightfi')
      throw new CliError(ExitCode.USAGE, '--auth-url is for LightFi only (its Cognito domain)');
    record.authUrl = httpUrl('auth-url', flags['auth-url']);
  }
  if (vendor === 'lightbug') {
    const username = flags.username ?? io.env['LIGHTBUG_USERNAME'];
    if (username === undefined || username === '') {
      throw new CliError(ExitCode.USAGE, 'login lightbug needs --username (or LIGHTBUG_USERNAME)');
    }
    record.username = username;
    if (flags.refreshable !== undefined)
      record.refreshable = positiveInteger('refreshable', flags.refreshable, 2_678_400);
    else record.rotates = null;
    return record;
  }
  const idEnv = vendor === 'lightfi' ? 'LIGHTFI_CLIENT_ID' : 'LIGHT_CLIENT_ID';
  const clientId = flags['client-id'] ?? io.env[idEnv];
  if (clientId === undefined || clientId === '') {
    throw new CliError(ExitCode.USAGE, `login ${vendor} needs --client-id (or ${idEnv})`);
  }
  record.clientId = clientId;
  if (flags['redirect-uri'] !== undefined && flags.port !== undefined) {
    throw new CliError(ExitCode.USAGE, 'Give --redirect-uri or --port, not both');
  }
  if (flags.port !== undefined) {
    const port = /^\d+$/.test(flags.port) ? Number(flags.port) : Number.NaN;
    if (!(port >= 0 && port <= 65_535))
      throw new CliError(ExitCode.USAGE, `--port must be 0 to 65535, got "${flags.port}"`);
    record.redirectUri = `http://localhost:${port}/`;
  } else if (flags['redirect-uri'] !== undefined) {
    record.redirectUri = flags['redirect-uri'];
  } else if (vendor === 'lightfi') {
    record.redirectUri = LIGHTFI_DEFAULT_REDIRECT_URI;
  } else {
    throw new CliError(
      ExitCode.USAGE,
      'login light needs --redirect-uri: the loopback URI you registered with Light',
    );
  }
  if (vendor === 'lightfi') {
    record.accessTokenLifetimeMs = lifetimeMs(
      '--access-token-lifetime',
      flags['access-token-lifetime'] ?? '240m',
    );
    record.refreshTokenLifetimeMs = lifetimeMs(
      '--refresh-token-lifetime',
      flags['refresh-token-lifetime'] ?? '3650d',
    );
    const clientAuth = flags['client-auth'];
    if (clientAuth !== undefined) {
      if (clientAuth !== 'basic' && clientAuth !== 'body') {
        throw new CliError(ExitCode.USAGE, `--client-auth must be basic or body, got "${clientAuth}"`);
      }
      record.clientAuthentication = clientAuth;
    }
  }
  return record;
}

function line(io: Io, stream: 'stdout' | 'stderr', text: string): void {
  io[stream].write(`${text}\n`);
}

async function login(vendorArg: string | undefined, flags: Flags, io: Io): Promise<void> {
  const vendor = VENDORS.find((name) => name === vendorArg);
  if (vendor === undefined)
    throw new CliError(ExitCode.USAGE, 'login needs a vendor: lightfi, light or lightbug');
  const record = loginRecord(vendor, flags, io);
  const timeoutMs = positiveInteger('timeout', flags.timeout ?? '300', 86_400) * 1000;
  const name = VENDOR_NAMES[vendor];
  await withStore(flags, io, async ({ store, display }) => {
    const key = flags.key ?? defaultKey(vendor, record.clientId ?? record.username);
    if (vendor === 'lightbug') {
      const password = await readSecret(
        io,
        'LIGHTBUG_PASSWORD',
        `The Lightbug password of ${record.username}`,
      );
      record.signedInAt = Date.now();
      try {
        await saveGrant(store, key, await lightbugLogin(record, password), record);
      } catch (error) {
        throw toCliError(error, name);
      }
    } else {
      const secrets = await secretsFor(io, vendor);
      const receiver = await startLoopbackReceiver(record.redirectUri ?? '');
      try {
        record.redirectUri = receiver.redirectUri;
        const started = await startBrowserLogin(record, secrets);
        line(io, 'stderr', `Sign in to ${name} in your browser:\n\n  ${started.url}\n`);
        if (flags['no-browser'] !== true && openBrowser(started.url, io.env)) {
          line(io, 'stderr', 'Opened the browser; waiting for it to come back…');
        } else {
          line(
            io,
            'stderr',
            `Open that URL in a browser on this machine; waiting on ${receiver.redirectUri}…`,
          );
        }
        await receiver.receive(
          async (callbackUrl) => {
            record.signedInAt = Date.now();
            const tokens = await started.complete(callbackUrl);
            await saveGrant(store, key, tokens, record);
          },
          (settled) => {
            if (settled.status === 'fulfilled') return { ok: true };
            const failure = toCliError(settled.reason, name);
            return { ok: false, title: 'Sign-in failed', detail: failure.message };
          },
          timeoutMs,
        );
      } catch (error) {
        throw toCliError(error, name);
      } finally {
        await receiver.close();
      }
    }
    line(io, 'stdout', `Signed in to ${name}. The grant is stored in ${display} under the key "${key}".`);
  });
}

function time(epochMs: number | undefined, now: number): string {
  if (epochMs === undefined) return 'unknown';
  const iso = new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return epochMs <= now ? `${iso} (expired)` : iso;
}

/** One row of `status`: no token values, only times and whether a refresh token is there. */
export interface GrantStatus {
  vendor: Vendor | 'unknown';
  key: string;
  stored: boolean;
  accessTokenExpiresAt: string | null;
  refreshTokenExpiresAt: string | null;
  refreshToken: '[redacted]' | null;
  rotates: boolean | null;
  signedInAt: string | null;
}

async function status(flags: Flags, io: Io): Promise<void> {
  await withStore(flags, io, async ({ store, display }) => {
    const grants = await readGrantIndex(store);
    const keys = flags.key === undefined ? Object.keys(grants).sort() : [flags.key];
    const rows: GrantStatus[] = [];
    for (const key of keys) {
      const record = grants[key];
      const tokens = (await store.get(key))?.tokens;
      if (flags.key !== undefined && record === undefined && tokens === undefined) {
        throw new CliError(ExitCode.NOT_FOUND, `No grant is stored under "${key}" in ${display}`);
      }
      const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
      rows.push({
        vendor: record?.vendor ?? 'unknown',
        key,
        stored: tokens !== undefined,
        accessTokenExpiresAt: iso(tokens?.expiresAt),
        refreshTokenExpiresAt: iso(tokens?.refreshExpiresAt),
        refreshToken: tokens?.refreshToken === undefined ? null : '[redacted]',
        rotates: record?.rotates ?? null,
        signedInAt: iso(record?.signedInAt),
      });
    }
    if (flags.json === true) {
      line(io, 'stdout', JSON.stringify({ store: display, grants: rows }));
      return;
    }
    if (rows.length === 0) {
      line(
        io,
        'stdout',
        `No grants in ${display}. Run auth-sdk login lightfi (or light, lightbug) to add one.`,
      );
      return;
    }
    const now = Date.now();
    const when = (iso: string | null) => time(iso === null ? undefined : Date.parse(iso), now);
    const rotation = (row: GrantStatus) =>
      row.rotates === null
        ? row.vendor === 'lightfi'
          ? 'unknown until a refresh'
          : 'no'
        : row.rotates
          ? 'yes'
          : 'no';
    const table = [
      ['VENDOR', 'KEY', 'ACCESS TOKEN EXPIRES', 'REFRESH TOKEN EXPIRES', 'ROTATES', 'REFRESH TOKEN'],
      ...rows.map((row) => [
        row.vendor,
        row.key,
        row.stored ? when(row.accessTokenExpiresAt) : 'signed out',
        !row.stored ? '-' : row.refreshToken === null ? 'no refresh token' : when(row.refreshTokenExpiresAt),
        rotation(row),
        row.refreshToken ?? '-',
      ]),
    ];
    const widths =
      table[0]?.map((_, column) => Math.max(...table.map((cells) => cells[column]?.length ?? 0))) ?? [];
    line(io, 'stdout', `Grants in ${display}:`);
    for (const cells of table)
      line(
        io,
        'stdout',
        cells
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
  });
}

async function recordFor(store: TokenStore, display: string, flags: Flags): Promise<[string, GrantRecord]> {
  const grants = await readGrantIndex(store);
  if (flags.key === undefined) {
    const entries = Object.entries(grants);
    const only = entries.length === 1 ? entries[0] : undefined;
    if (only !== undefined) return only;
    const keys = entries.map(([key]) => key);
    throw new CliError(
      keys.length === 0 ? ExitCode.NOT_FOUND : ExitCode.USAGE,
      keys.length === 0 ? `No grants in ${display}` : `Say which grant with --key: ${keys.sort().join(', ')}`,
    );
  }
  const record = grants[flags.key];
  if (record === undefined)
    throw new CliError(ExitCode.NOT_FOUND, `No grant is stored under "${flags.key}" in ${display}`);
  return [flags.key, record];
}

async function refresh(flags: Flags, io: Io): Promise<void> {
  await withStore(flags, io, async ({ store, display }) => {
    const [key, record] = await recordFor(store, display, flags);
    const name = VENDOR_NAMES[record.vendor];
    const before = (await store.get(key))?.tokens;
    if (before === undefined)
      throw new CliError(
        ExitCode.REAUTH_REQUIRED,
        `The ${name} grant "${key}" is signed out: run auth-sdk login ${record.vendor}`,
      );
    const secrets = await secretsFor(io, record.vendor);
    try {
      const after = await refreshGrant(record, secrets, store, key);
      const rotates = after.refreshToken !== undefined && after.refreshToken !== before.refreshToken;
      if (record.vendor === 'lightfi' && record.rotates !== rotates) {
        await updateGrantIndex(store, (grants) => {
          const current = grants[key];
          if (current !== undefined) current.rotates = rotates;
        });
      }
      line(
        io,
        'stdout',
        `Refreshed the ${name} grant "${key}": access token valid until ${time(after.expiresAt, Date.now())}.`,
      );
    } catch (error) {
      throw toCliError(error, name);
    }
  });
}

async function logout(flags: Flags, io: Io): Promise<void> {
  await withStore(flags, io, async ({ store, display }) => {
    const [key, record] = await recordFor(store, display, flags);
    const name = VENDOR_NAMES[record.vendor];
    let outcome = 'was signed out already; its record is removed';
    if ((await store.get(key)) !== undefined) {
      const secrets = await secretsFor(io, record.vendor);
      try {
        const ended = await endGrant(record, secrets, store, key);
        outcome =
          ended === 'revoked'
            ? `is revoked at ${name} and removed from ${display}`
            : ended === 'logged-out'
              ? `is logged out at ${name} and removed from ${display}`
              : `is removed from ${display} (Light documents no revocation endpoint: the refresh token stays valid at Light until it is used or the app's access is withdrawn)`;
      } catch (error) {
        throw toCliError(error, name);
      }
    }
    await updateGrantIndex(store, (grants) => {
      delete grants[key];
    });
    line(io, 'stdout', `The ${name} grant "${key}" ${outcome}.`);
  });
}

/**
 * Runs one `auth-sdk` command line and returns the exit status; failures are printed to `io.stderr` as one clear
 * line, never with a secret or a stack.
 *
 * @example
 * ```ts
 * process.exitCode = await run(process.argv.slice(2));
 * ```
 */
export async function run(argv: readonly string[], io: Io = process): Promise<ExitCodeValue> {
  try {
    const { values: flags, positionals } = parseFlags(argv);
    const [command, ...rest] = positionals;
    if (flags.help === true || command === undefined || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined && flags.help !== true ? ExitCode.USAGE : ExitCode.OK;
    }
    const extra = command === 'login' ? rest.slice(1) : rest;
    if (extra.length > 0)
      throw new CliError(ExitCode.USAGE, `Unexpected argument "${extra[0]}" (auth-sdk --help)`);
    switch (command) {
      case 'login':
        await login(rest[0], flags, io);
        break;
      case 'status':
        await status(flags, io);
        break;
      case 'refresh':
        await refresh(flags, io);
        break;
      case 'logout':
      case 'revoke':
        await logout(flags, io);
        break;
      default:
        throw new CliError(
          ExitCode.USAGE,
          `Unknown command "${command}": login, status, refresh, logout (auth-sdk --help)`,
        );
    }
    return ExitCode.OK;
  } catch (error) {
    const failure = toCliError(error, 'The vendor');
    io.stderr.write(`auth-sdk: ${failure.message}\n`);
    return failure.exitCode;
  }
}
