import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CliConfigError,
  type ConfigFault,
  EMULATOR_NAMES,
  type EmulatorName,
  type EmulatorsConfig,
  parseConfig,
  type ResolvedConfig,
  resolveConfig,
  resolveLightFiClient,
} from './cli-config.js';
import type { Fault } from './fault-injection.js';
import { DEFAULT_LIGHT_CLIENT } from './light-emulator.js';

/** The usage text of the `auth-emulators` command. */
export const CLI_USAGE = `Usage: auth-emulators [options]

Starts the Light, Lightbug and LightFi emulators and a control endpoint, prints everything a test needs (URLs,
client ids and secrets, API keys, users and passwords, token lifetimes: all test values), and runs until SIGINT or
SIGTERM. Flags apply on top of --config.

Output:
  --json                          print one line of JSON instead of text
  --config <file.json>            clients, users, keys, lifetimes, rotation, clock and faults (see the README)

Servers (ports default to 0, a free port):
  --host <host>                   interface to listen on (default 127.0.0.1)
  --light-port <port>             Light API and auth host
  --light-files-port <port>       Light files host (the target of its redirects)
  --lightbug-port <port>          Lightbug API
  --lightfi-port <port>           LightFi API
  --lightfi-auth-port <port>      LightFi Cognito domain
  --control-port <port>           control endpoint (clock, faults, request log, reset)

Clock:
  --frozen-clock                  the clock moves only through the control endpoint
  --clock-start <iso|epoch-ms>    where the clock starts (default now)

Light:
  --light-client <id:secret>      replace the default client (light-client:light-secret); repeatable
  --light-redirect-uri <uri>      register a redirect URI with every Light client; repeatable
  --light-api-key <key>           accept another API key (besides light_test_key); repeatable
  --light-access-token-ttl <s>    access token lifetime (default 3600)
  --light-refresh-token-ttl <s>   refresh token lifetime (default: never expires)

Lightbug:
  --lightbug-user <name:password> add a user (besides demo:demo-password); repeatable
  --lightbug-access-token-ttl <s> v2 access token lifetime (default 3600)

LightFi:
  --lightfi-client <id[:secret]>  replace the default client (lightfi-client:lightfi-secret); repeatable
  --lightfi-callback-url <url>    register a callback URL with every LightFi client; repeatable
  --lightfi-user <name:password>  add a user (besides demo:demo-password); repeatable
  --lightfi-access-token-ttl <s>  access token lifetime, 300..86400 (default 14400)
  --lightfi-refresh-token-ttl <s> refresh token lifetime, 3600..315360000 (default 3650 days)
  --lightfi-rotate-refresh-tokens every refresh returns a new refresh token and spends the old one

Faults (repeatable):
  --fault '<emulator> <METHOD> <path> <kind>[=<value>] [x<times>|x*]'
      kinds: status=<code>, rate-limit[=<retry-after s>], latency=<ms>, reset, malformed, truncated,
      drop-after-processing; e.g. --fault 'light POST /oauth/token status=503 x2'

  -h, --help                      show this text
`;

/** What the command line asked for. */
export type CliRequest = { help: true } | { help: false; json: boolean; config: ResolvedConfig };

function port(flag: string, value: string): number {
  const number = Number(value);
  if (value === '' || !Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new CliConfigError(`--${flag} must be a port number between 0 and 65535, got '${value}'`);
  }
  return number;
}

function seconds(flag: string, value: string): number {
  const number = Number(value);
  if (value === '' || !Number.isSafeInteger(number) || number < 1) {
    throw new CliConfigError(`--${flag} must be a whole number of seconds >= 1, got '${value}'`);
  }
  return number;
}

function pair(flag: string, value: string, secretRequired: boolean): [string, string | undefined] {
  const index = value.indexOf(':');
  const name = index < 0 ? value : value.slice(0, index);
  const secret = index < 0 ? undefined : value.slice(index + 1);
  if (name === '' || (secretRequired && (secret === undefined || secret === ''))) {
    throw new CliConfigError(`--${flag} must look like 'name:${secretRequired ? 'secret' : '[secret]'}'`);
  }
  return [name, secret];
}

/** Parses `--fault 'light POST /oauth/token status=503 x2'`. */
export function parseFaultFlag(value: string): ConfigFault {
  const usage = `--fault must look like '<emulator> <METHOD> <path> <kind>[=<value>] [x<times>]', got '${value}'`;
  const parts = value.trim().split(/\s+/);
  const [emulator, method, path, kindPart, timesPart, ...rest] = parts;
  if (emulator === undefined || method === undefined || path === undefined || kindPart === undefined) {
    throw new CliConfigError(usage);
  }
  if (rest.length > 0) throw new CliConfigError(usage);
  if (!(EMULATOR_NAMES as readonly string[]).includes(emulator)) {
    throw new CliConfigError(`--fault: unknown emulator '${emulator}' (one of ${EMULATOR_NAMES.join(', ')})`);
  }
  const [kind, raw] = kindPart.split('=', 2) as [string, string | undefined];
  const number = (what: string): number => {
    const parsed = Number(raw);
    if (raw === undefined || raw === '' || !Number.isFinite(parsed) || parsed < 0) {
      throw new CliConfigError(`--fault: ${kind} needs =<${what}>, got '${kindPart}'`);
    }
    return parsed;
  };
  let fault: Fault;
  switch (kind) {
    case 'status':
      fault = { kind, status: number('HTTP status') };
      break;
    case 'latency':
      fault = { kind, ms: number('milliseconds') };
      break;
    case 'rate-limit':
      fault = raw === undefined ? { kind } : { kind, retryAfterSeconds: number('seconds') };
      break;
    case 'reset':
    case 'malformed':
    case 'truncated':
    case 'drop-after-processing':
      if (raw !== undefined) throw new CliConfigError(`--fault: ${kind} takes no value, got '${kindPart}'`);
      fault = { kind };
      break;
    default:
      throw new CliConfigError(
        `--fault: unknown kind '${kind}' (status, rate-limit, latency, reset, malformed, truncated, drop-after-processing)`,
      );
  }
  let times: number | 'Infinity' | undefined;
  if (timesPart !== undefined) {
    const match = /^x(\d+|\*)$/.exec(timesPart);
    if (match?.[1] === undefined || match[1] === '0') throw new CliConfigError(usage);
    times = match[1] === '*' ? 'Infinity' : Number(match[1]);
  }
  return {
    emulator: emulator as EmulatorName,
    route: `${method.toUpperCase()} ${path}`,
    fault,
    ...(times === undefined ? {} : { times }),
  };
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliConfigError(
      `--config: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliConfigError(
      `--config: ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return value;
}

/**
 * Turns the command-line arguments (without `node` and the script) into the emulators' resolved configuration.
 * `readConfig` reads and parses `--config` files (JSON from the file system by default); what it returns is checked.
 * @throws CliConfigError naming the flag or configuration field that is wrong
 */
export function parseCliArgs(
  args: string[],
  readConfig: (path: string) => unknown = readConfigFile,
): CliRequest {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new CliConfigError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { help: true };
  const file: EmulatorsConfig =
    values.config === undefined ? {} : parseConfig(readConfig(values.config), values.config);
  const config = resolveConfig(file);
  const flag = (name: keyof typeof values): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const list = (name: keyof typeof values): string[] => {
    const value = values[name];
    return Array.isArray(value) ? value : [];
  };

  if (values.host !== undefined) config.host = values.host;
  const ports: Array<[string, (value: number) => void]> = [
    ['light-port', (v) => (config.light.port = v)],
    ['light-files-port', (v) => (config.light.filesPort = v)],
    ['lightbug-port', (v) => (config.lightbug.port = v)],
    ['lightfi-port', (v) => (config.lightfi.port = v)],
    ['lightfi-auth-port', (v) => (config.lightfi.authPort = v)],
    ['control-port', (v) => (config.controlPort = v)],
  ];
  for (const [name, set] of ports) {
    const value = flag(name as keyof typeof values);
    if (value !== undefined) set(port(name, value));
  }

  if (values['frozen-clock'] === true) config.clock.frozen = true;
  const start = values['clock-start'];
  if (start !== undefined) {
    const epoch = /^\d+$/.test(start) ? Number(start) : Date.parse(start);
    if (!Number.isFinite(epoch)) {
      throw new CliConfigError(`--clock-start must be an ISO-8601 date or epoch ms, got '${start}'`);
    }
    config.clock.start = epoch;
  }

  const lightClients = list('light-client');
  if (lightClients.length > 0) {
    config.light.clients = lightClients.map((value) => {
      const [clientId, clientSecret] = pair('light-client', value, true);
      // The default redirect URI until --light-redirect-uri adds others.
      const redirectUris = [...DEFAULT_LIGHT_CLIENT.redirectUris];
      return { clientId, clientSecret: clientSecret as string, redirectUris, name: 'Light Test App' };
    });
  }
  for (const uri of list('light-redirect-uri')) {
    for (const client of config.light.clients) {
      if (!client.redirectUris.includes(uri)) client.redirectUris.push(uri);
    }
  }
  for (const key of list('light-api-key'))
    if (!config.light.apiKeys.includes(key)) config.light.apiKeys.push(key);
  const lightAccess = flag('light-access-token-ttl');
  if (lightAccess !== undefined)
    config.light.accessTokenTtlSeconds = seconds('light-access-token-ttl', lightAccess);
  const lightRefresh = flag('light-refresh-token-ttl');
  if (lightRefresh !== undefined) {
    config.light.refreshTokenTtlSeconds = seconds('light-refresh-token-ttl', lightRefresh);
  }

  for (const value of list('lightbug-user')) {
    const [username, password] = pair('lightbug-user', value, true);
    const id = Math.max(0, ...config.lightbug.users.map((user) => user.id)) + 1;
    config.lightbug.users.push({
      id,
      username,
      email: `${username}@lightbug.test`,
      password: password as string,
    });
  }
  const lightbugAccess = flag('lightbug-access-token-ttl');
  if (lightbugAccess !== undefined) {
    config.lightbug.accessTokenTtlSeconds = seconds('lightbug-access-token-ttl', lightbugAccess);
  }

  const lightfiClients = list('lightfi-client');
  if (lightfiClients.length > 0) {
    config.lightfi.clients = lightfiClients.map((value) => {
      const [clientId, clientSecret] = pair('lightfi-client', value, false);
      return resolveLightFiClient({ clientId, clientSecret });
    });
  }
  const lightfiAccess = flag('lightfi-access-token-ttl');
  const lightfiRefresh = flag('lightfi-refresh-token-ttl');
  for (const client of config.lightfi.clients) {
    for (const url of list('lightfi-callback-url')) {
      if (!client.callbackUrls.includes(url)) client.callbackUrls.push(url);
    }
    if (lightfiAccess !== undefined)
      client.accessTokenTtl = seconds('lightfi-access-token-ttl', lightfiAccess);
    if (lightfiRefresh !== undefined) {
      client.refreshTokenTtl = seconds('lightfi-refresh-token-ttl', lightfiRefresh);
    }
    if (values['lightfi-rotate-refresh-tokens'] === true) client.rotateRefreshTokens = true;
  }
  for (const value of list('lightfi-user')) {
    const [username, password] = pair('lightfi-user', value, true);
    config.lightfi.users.push({
      username,
      password: password as string,
      sub: `00000000-0000-4000-8000-${String(config.lightfi.users.length + 1).padStart(12, '0')}`,
      email: `${username}@example.com`,
    });
  }

  config.faults.push(...list('fault').map(parseFaultFlag));
  return { help: false, json: values.json === true, config };
}

function parse(args: string[]) {
  const text = { type: 'string' } as const;
  const many = { type: 'string', multiple: true } as const;
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      json: { type: 'boolean' },
      config: text,
      host: text,
      'light-port': text,
      'light-files-port': text,
      'lightbug-port': text,
      'lightfi-port': text,
      'lightfi-auth-port': text,
      'control-port': text,
      'frozen-clock': { type: 'boolean' },
      'clock-start': text,
      'light-client': many,
      'light-redirect-uri': many,
      'light-api-key': many,
      'light-access-token-ttl': text,
      'light-refresh-token-ttl': text,
      'lightbug-user': many,
      'lightbug-access-token-ttl': text,
      'lightfi-client': many,
      'lightfi-callback-url': many,
      'lightfi-user': many,
      'lightfi-access-token-ttl': text,
      'lightfi-refresh-token-ttl': text,
      'lightfi-rotate-refresh-tokens': { type: 'boolean' },
      fault: many,
      help: { type: 'boolean', short: 'h' },
    },
  });
}
