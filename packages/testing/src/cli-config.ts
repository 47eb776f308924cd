import { DEFAULT_HOST } from './emulator.js';
import type { Fault } from './fault-injection.js';
import type { LightClient, LightTokenErrorStyle } from './light-context.js';
import { DEFAULT_LIGHT_CLIENT } from './light-emulator.js';
import type { LightbugExpiryFormat } from './lightbug-context.js';
import { DEFAULT_LIGHTBUG_USER, type LightbugUser } from './lightbug-data.js';
import type { LightFiClientOptions, LightFiOAuthFlow } from './lightfi-context.js';
import { DEFAULT_LIGHTFI_USER, type LightFiUser } from './lightfi-data.js';
import { DEFAULT_LIGHTFI_CALLBACK_URLS, DEFAULT_LIGHTFI_CLIENT } from './lightfi-emulator.js';

/** A bad command line or configuration file of `auth-emulators`; the message names the flag or the field path. */
export class CliConfigError extends Error {
  override name = 'CliConfigError' as const;
}

/** The emulators that `auth-emulators` runs, as named in its configuration and control endpoint. */
export type EmulatorName = 'light' | 'lightbug' | 'lightfi';

/** The emulator names, in the order they are printed. */
export const EMULATOR_NAMES: readonly EmulatorName[] = ['light', 'lightbug', 'lightfi'];

/** A fault injected at start: `times` defaults to 1; `"Infinity"` keeps it until cleared. */
export interface ConfigFault {
  emulator: EmulatorName;
  /** `'METHOD /path'`, a route pattern, `'* /path'` or `'*'`, as `emulator.faults.inject` takes it. */
  route: string;
  fault: Fault;
  times?: number | 'Infinity' | undefined;
}

/**
 * The JSON configuration file of `auth-emulators` (`--config file.json`). Every field is optional; flags given on
 * the command line apply on top of it. Durations are in seconds, like the emulators' options.
 *
 * @example
 * ```json
 * {
 *   "clock": { "frozen": true, "start": "2026-01-01T00:00:00Z" },
 *   "light": { "clients": [{ "clientId": "app", "clientSecret": "s3cret", "redirectUris": ["http://127.0.0.1:8080/cb"] }] },
 *   "lightfi": { "clients": [{ "clientId": "app", "clientSecret": "s", "rotateRefreshTokens": true, "accessTokenTtl": 300 }] },
 *   "faults": [{ "emulator": "light", "route": "POST /oauth/token", "fault": { "kind": "status", "status": 503 } }]
 * }
 * ```
 */
export interface EmulatorsConfig {
  /** @default '127.0.0.1' */
  host?: string;
  clock?: {
    /** Epoch ms or an ISO-8601 date. @default now */
    start?: number | string;
    /** Moves only through the control endpoint. @default false */
    frozen?: boolean;
  };
  control?: {
    /** Port of the control endpoint. @default 0 (a free port) */
    port?: number;
  };
  light?: {
    port?: number;
    filesPort?: number;
    clients?: LightClient[];
    apiKeys?: string[];
    accessTokenTtlSeconds?: number;
    refreshTokenTtlSeconds?: number;
    authorizationCodeTtlSeconds?: number;
    rateLimitPerMinute?: number;
    tokenErrorStyle?: LightTokenErrorStyle;
    jwtSecret?: string;
  };
  lightbug?: {
    port?: number;
    users?: LightbugUser[];
    accessTokenTtlSeconds?: number;
    v1TokenTtlSeconds?: number;
    expiryFormat?: LightbugExpiryFormat;
    authRateLimitPerMinute?: number;
    apiRateLimitPerMinute?: number;
    jwtSecret?: string;
  };
  lightfi?: {
    port?: number;
    authPort?: number;
    clients?: LightFiClientOptions[];
    users?: LightFiUser[];
  };
  faults?: ConfigFault[];
}

/** A LightFi client with every default written out, as the CLI passes it to the emulator and prints it. */
export type ResolvedLightFiClient = {
  [K in Exclude<keyof LightFiClientOptions, 'clientSecret'>]-?: NonNullable<LightFiClientOptions[K]>;
} & { clientSecret: string | undefined };

/** The configuration with every default filled in: exactly what the emulators are started with. */
export interface ResolvedConfig {
  host: string;
  clock: { start: number | undefined; frozen: boolean };
  controlPort: number;
  light: {
    port: number;
    filesPort: number;
    clients: LightClient[];
    apiKeys: string[];
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number | undefined;
    authorizationCodeTtlSeconds: number;
    rateLimitPerMinute: number;
    tokenErrorStyle: LightTokenErrorStyle;
    jwtSecret: string | undefined;
  };
  lightbug: {
    port: number;
    users: LightbugUser[];
    accessTokenTtlSeconds: number;
    v1TokenTtlSeconds: number;
    expiryFormat: LightbugExpiryFormat;
    authRateLimitPerMinute: number;
    apiRateLimitPerMinute: number;
    jwtSecret: string | undefined;
  };
  lightfi: {
    port: number;
    authPort: number;
    clients: ResolvedLightFiClient[];
    users: Array<LightFiUser & { email: string }>;
  };
  faults: ConfigFault[];
}

type Shape =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'port'
  | 'date'
  | 'times'
  | 'fault'
  | { array: Shape }
  | { object: Record<string, Shape>; required?: readonly string[] }
  | { oneOf: readonly string[] };

const strings: Shape = { array: 'string' };
const LIGHT_CLIENT: Shape = {
  object: { clientId: 'string', clientSecret: 'string', redirectUris: strings, name: 'string' },
  required: ['clientId', 'clientSecret', 'redirectUris'],
};
const LIGHTBUG_USER: Shape = {
  object: { id: 'integer', username: 'string', email: 'string', password: 'string' },
  required: ['id', 'username', 'email', 'password'],
};
const LIGHTFI_CLIENT: Shape = {
  object: {
    clientId: 'string',
    clientSecret: 'string',
    name: 'string',
    callbackUrls: strings,
    signOutUrls: strings,
    accessTokenTtl: 'integer',
    refreshTokenTtl: 'integer',
    rotateRefreshTokens: 'boolean',
    rotationGracePeriodSeconds: 'integer',
    allowedOAuthFlows: { array: { oneOf: ['code', 'client_credentials'] } },
    allowedScopes: strings,
  },
  required: ['clientId'],
};
const LIGHTFI_USER: Shape = {
  object: { username: 'string', password: 'string', sub: 'string', email: 'string' },
  required: ['username', 'password', 'sub'],
};
const FAULT_KINDS = [
  'latency',
  'status',
  'rate-limit',
  'reset',
  'malformed',
  'truncated',
  'drop-after-processing',
] as const;

const CONFIG: Shape = {
  object: {
    host: 'string',
    clock: { object: { start: 'date', frozen: 'boolean' } },
    control: { object: { port: 'port' } },
    light: {
      object: {
        port: 'port',
        filesPort: 'port',
        clients: { array: LIGHT_CLIENT },
        apiKeys: strings,
        accessTokenTtlSeconds: 'integer',
        refreshTokenTtlSeconds: 'integer',
        authorizationCodeTtlSeconds: 'integer',
        rateLimitPerMinute: 'integer',
        tokenErrorStyle: { oneOf: ['oauth', 'light'] },
        jwtSecret: 'string',
      },
    },
    lightbug: {
      object: {
        port: 'port',
        users: { array: LIGHTBUG_USER },
        accessTokenTtlSeconds: 'integer',
        v1TokenTtlSeconds: 'integer',
        expiryFormat: {
          oneOf: ['iso', 'epoch-seconds', 'epoch-ms', 'epoch-seconds-string', 'epoch-ms-string', 'omit'],
        },
        authRateLimitPerMinute: 'integer',
        apiRateLimitPerMinute: 'integer',
        jwtSecret: 'string',
      },
    },
    lightfi: {
      object: {
        port: 'port',
        authPort: 'port',
        clients: { array: LIGHTFI_CLIENT },
        users: { array: LIGHTFI_USER },
      },
    },
    faults: {
      array: {
        object: {
          emulator: { oneOf: EMULATOR_NAMES },
          route: 'string',
          fault: 'fault',
          times: 'times',
        },
        required: ['emulator', 'route', 'fault'],
      },
    },
  },
};

function describeShape(shape: Shape): string {
  if (typeof shape === 'string') {
    return {
      string: 'a string',
      number: 'a number',
      integer: 'an integer',
      boolean: 'true or false',
      port: 'a port number from 0 to 65535',
      date: 'epoch milliseconds or an ISO-8601 date',
      times: 'a positive integer or "Infinity"',
      fault: `an object with a "kind" of ${FAULT_KINDS.join(', ')}`,
    }[shape];
  }
  if ('array' in shape) return 'an array';
  if ('object' in shape) return 'an object';
  return `one of ${shape.oneOf.map((value) => JSON.stringify(value)).join(', ')}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matches(value: unknown, shape: Shape): boolean {
  if (typeof shape !== 'string') {
    if ('array' in shape) return Array.isArray(value);
    if ('object' in shape) return isPlainObject(value);
    return typeof value === 'string' && shape.oneOf.includes(value);
  }
  switch (shape) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'port':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65_535;
    case 'date':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
      );
    case 'times':
      return value === 'Infinity' || (Number.isSafeInteger(value) && (value as number) >= 1);
    case 'fault':
      return isPlainObject(value) && (FAULT_KINDS as readonly unknown[]).includes(value['kind']);
  }
}

/** Throws a {@link CliConfigError} naming the first field of `value` that does not fit `shape`. */
function check(value: unknown, shape: Shape, path: string): void {
  if (!matches(value, shape)) {
    const what = path === '' ? 'the configuration' : path;
    throw new CliConfigError(`${what} must be ${describeShape(shape)}, got ${JSON.stringify(value)}`);
  }
  if (typeof shape === 'string' || 'oneOf' in shape) return;
  if ('array' in shape) {
    (value as unknown[]).forEach((item, index) => {
      check(item, shape.array, `${path}[${index}]`);
    });
    return;
  }
  const object = value as Record<string, unknown>;
  const at = (name: string): string => (path === '' ? name : `${path}.${name}`);
  for (const name of shape.required ?? []) {
    if (object[name] === undefined) throw new CliConfigError(`${at(name)} is required`);
  }
  for (const [name, field] of Object.entries(object)) {
    const fieldShape = shape.object[name];
    if (fieldShape === undefined) {
      throw new CliConfigError(
        `${at(name)} is not a known field (known: ${Object.keys(shape.object).join(', ')})`,
      );
    }
    if (field !== undefined) check(field, fieldShape, at(name));
  }
}

/**
 * Checks a parsed configuration file: every field's type, unknown fields and required ones, each error naming the
 * file and the field path (`emulators.json: lightfi.clients[0].accessTokenTtl must be an integer, got "5"`).
 * Ranges are checked by the emulators when they start.
 * @throws CliConfigError
 */
export function parseConfig(value: unknown, source = 'config'): EmulatorsConfig {
  try {
    check(value, CONFIG, '');
  } catch (error) {
    if (error instanceof CliConfigError) throw new CliConfigError(`${source}: ${error.message}`);
    throw error;
  }
  return value as EmulatorsConfig;
}

/** Fills in every default, so that what is printed is exactly what the emulators run with. */
export function resolveConfig(config: EmulatorsConfig): ResolvedConfig {
  const { light = {}, lightbug = {}, lightfi = {} } = config;
  const start = config.clock?.start;
  return {
    host: config.host ?? DEFAULT_HOST,
    clock: {
      start: typeof start === 'string' ? Date.parse(start) : start,
      frozen: config.clock?.frozen ?? false,
    },
    controlPort: config.control?.port ?? 0,
    light: {
      port: light.port ?? 0,
      filesPort: light.filesPort ?? 0,
      clients: (light.clients ?? [DEFAULT_LIGHT_CLIENT]).map((client) => ({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUris: [...client.redirectUris],
        name: client.name ?? 'Light Test App',
      })),
      apiKeys: [...(light.apiKeys ?? ['light_test_key'])],
      accessTokenTtlSeconds: light.accessTokenTtlSeconds ?? 3600,
      refreshTokenTtlSeconds: light.refreshTokenTtlSeconds,
      authorizationCodeTtlSeconds: light.authorizationCodeTtlSeconds ?? 600,
      rateLimitPerMinute: light.rateLimitPerMinute ?? 300,
      tokenErrorStyle: light.tokenErrorStyle ?? 'oauth',
      jwtSecret: light.jwtSecret,
    },
    lightbug: {
      port: lightbug.port ?? 0,
      users: (lightbug.users ?? [DEFAULT_LIGHTBUG_USER]).map((user) => ({ ...user })),
      accessTokenTtlSeconds: lightbug.accessTokenTtlSeconds ?? 3600,
      v1TokenTtlSeconds: lightbug.v1TokenTtlSeconds ?? 1_209_600,
      expiryFormat: lightbug.expiryFormat ?? 'iso',
      authRateLimitPerMinute: lightbug.authRateLimitPerMinute ?? 12,
      apiRateLimitPerMinute: lightbug.apiRateLimitPerMinute ?? 600,
      jwtSecret: lightbug.jwtSecret,
    },
    lightfi: {
      port: lightfi.port ?? 0,
      authPort: lightfi.authPort ?? 0,
      clients: (lightfi.clients ?? [DEFAULT_LIGHTFI_CLIENT]).map(resolveLightFiClient),
      users: (lightfi.users ?? [DEFAULT_LIGHTFI_USER]).map((user) => ({
        ...user,
        email: user.email ?? `${user.username}@example.com`,
      })),
    },
    faults: [...(config.faults ?? [])],
  };
}

const DEFAULT_LIGHTFI_FLOWS: LightFiOAuthFlow[] = ['code'];
const DEFAULT_LIGHTFI_SCOPES = ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'];

/** A LightFi client with the emulator's defaults written out. */
export function resolveLightFiClient(client: LightFiClientOptions): ResolvedLightFiClient {
  return {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    name: client.name ?? 'LightFi',
    callbackUrls: [...(client.callbackUrls ?? DEFAULT_LIGHTFI_CALLBACK_URLS)],
    signOutUrls: [...(client.signOutUrls ?? [])],
    accessTokenTtl: client.accessTokenTtl ?? 240 * 60,
    refreshTokenTtl: client.refreshTokenTtl ?? 3650 * 24 * 3600,
    rotateRefreshTokens: client.rotateRefreshTokens ?? false,
    rotationGracePeriodSeconds: client.rotationGracePeriodSeconds ?? 0,
    allowedOAuthFlows: [...(client.allowedOAuthFlows ?? DEFAULT_LIGHTFI_FLOWS)],
    allowedScopes: [...(client.allowedScopes ?? DEFAULT_LIGHTFI_SCOPES)],
  };
}
