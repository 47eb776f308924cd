import {
  type AuthOptions,
  type Clock,
  ConfigError,
  type ConfigIssue,
  Secret,
  type TokenStore,
} from '@auth/core';
import {
  AUTH_OPTIONS,
  checkAuthOptions,
  checkRequestOptions,
  type HostPattern,
  isSecureUrl,
  pickRefreshEngineOptions,
  type RefreshEngineOptions,
  unknownOptionIssues,
} from '@auth/core/adapter';
import type { KyOptions as CoreKyOptions } from '@auth/core/ky';
import { DEFAULT_LIGHT_ALLOWED_HOSTS, LIGHT_API_URL } from './constants.js';

/**
 * ky's request options, named through `@auth/core/ky` (whose client is ky): this package uses ky's types only, so it
 * does not depend on ky itself and an app's ky is never duplicated by it.
 */
export type KyOptions = CoreKyOptions;

/**
 * Options both modes take: core's shared {@link AuthOptions} (`fetch`, `clock`, and the refresh engine's
 * `refreshWindowMs`, `lockTtlMs`, `lockWaitMs`, `tokenTimeoutMs`, `minRefreshIntervalMs`, which act in OAuth mode
 * only) and Light's own.
 */
export interface LightCommonOptions extends Omit<AuthOptions, 'store' | 'storeKey'> {
  /**
   * Light's API, which also serves `/oauth/authorize` and `/oauth/token`. Must be `https:` (plain `http:` only on
   * loopback hosts, for the emulator).
   * @default 'https://api.light.inc'
   */
  baseUrl?: string | undefined;
  /**
   * More hosts that receive the `Authorization` header besides the `baseUrl` origin, also after a redirect (Light's
   * docs require the header to follow redirects). They are ADDED to {@link DEFAULT_LIGHT_ALLOWED_HOSTS}, so Light's
   * own redirects keep working; to replace the defaults, also set `replaceDefaultAllowedHosts: true`.
   * A host (`files.light.inc`), a subdomain pattern (`*.light.inc`), an origin (`http://127.0.0.1:4010`) or a RegExp.
   * @default [] (only Light's hosts: 'api.light.inc', '*.light.inc')
   * @example
   * ```ts
   * allowedHosts: ['cdn.example.com'] // Light's hosts and cdn.example.com
   * ```
   */
  allowedHosts?: HostPattern[] | undefined;
  /**
   * Use `allowedHosts` INSTEAD of Light's hosts (`api.light.inc`, `*.light.inc`): redirects to other Light hosts
   * then lose the `Authorization` header unless listed. Only the `baseUrl` origin keeps it regardless.
   * @default false
   * @example
   * ```ts
   * { allowedHosts: ['api.light.inc'], replaceDefaultAllowedHosts: true } // no *.light.inc
   * ```
   */
  replaceDefaultAllowedHosts?: boolean | undefined;
  /** Redirect hops followed before a `RedirectError`. @default 10 */
  maxRedirects?: number | undefined;
  /**
   * Options for the ky `client` (timeout, retry, headers, hooks: it is `createKyClient` of `@auth/core/ky`, which adds
   * no hook on the success path). The base URL and fetch come from the options above.
   * @default core's: retry GET/HEAD/OPTIONS twice on 429/502/503/504
   */
  ky?: KyOptions | undefined;
}

/** API key mode: every request carries `Authorization: Basic <apiKey>`. */
export interface LightApiKeyOptions extends LightCommonOptions {
  /** The API key as Light issued it (Settings > API Keys). Sent as is, not base64-encoded. */
  apiKey: string | Secret;
  clientId?: undefined;
  clientSecret?: undefined;
  redirectUri?: undefined;
  store?: undefined;
  storeKey?: undefined;
}

/** OAuth 2.0 mode: the authorization-code flow, then `Authorization: Bearer <access_token>` with rotating refresh tokens. */
export interface LightOAuthOptions extends LightCommonOptions {
  apiKey?: undefined;
  /** The `client_id` Light support issued. */
  clientId: string;
  /** The `client_secret` Light support issued; sent in the token request body, as Light documents. */
  clientSecret: string | Secret;
  /** The redirect URI registered with Light; `https:` (plain `http:` only on loopback hosts). */
  redirectUri: string;
  /** Where tokens live. Use a persistent store: Light invalidates each refresh token once it is used. @default a new MemoryStore */
  store?: TokenStore | undefined;
  /** The grant's key in the store (one per Light user). @default `light:oauth:<clientId>` */
  storeKey?: string | undefined;
}

/** Options of `createLightAuth`: API key mode or OAuth 2.0 mode. */
export type LightAuthOptions = LightApiKeyOptions | LightOAuthOptions;

interface ResolvedOAuth {
  mode: 'oauth';
  clientId: string;
  clientSecret: Secret;
  redirectUri: string;
  store: TokenStore | undefined;
  storeKey: string;
}

/** Options after validation, with defaults applied. */
export type ResolvedLightOptions = ResolvedCommon & ({ mode: 'api-key'; apiKey: Secret } | ResolvedOAuth);

interface ResolvedCommon {
  baseUrl: string;
  allowedHosts: HostPattern[];
  fetch: typeof fetch | undefined;
  clock: Clock | undefined;
  engine: RefreshEngineOptions;
  maxRedirects: number | undefined;
  ky: KyOptions | undefined;
}

const oauthOnly = new Set<string>(['store', 'storeKey']);
const commonKeys = [
  ...AUTH_OPTIONS.filter((name) => !oauthOnly.has(name)),
  'allowedHosts',
  'replaceDefaultAllowedHosts',
  'maxRedirects',
  'ky',
];
const oauthKeys = ['clientId', 'clientSecret', 'redirectUri', 'store', 'storeKey'];
const knownKeys = new Set(['apiKey', ...oauthKeys, ...commonKeys]);

type Options = Record<string, unknown>;

function secretValue(value: unknown): string | undefined {
  if (value instanceof Secret) return value.reveal();
  return typeof value === 'string' ? value : undefined;
}

function checkCommon(options: Options, issues: ConfigIssue[]): ResolvedCommon {
  // The shared options (baseUrl, store, storeKey, fetch, clock, the refresh engine's) are core's to check.
  const shared = checkAuthOptions(options);
  issues.push(...shared);
  let baseUrl = LIGHT_API_URL;
  if (typeof options['baseUrl'] === 'string' && !shared.some((issue) => issue.option === 'baseUrl')) {
    baseUrl = new URL(options['baseUrl']).toString().replace(/\/$/, '');
  }
  // maxRedirects and allowedHosts (each pattern named on its own) are core's to check, as for createAuth.
  const requestIssues = checkRequestOptions(options);
  issues.push(...requestIssues);
  let allowedHosts = [...DEFAULT_LIGHT_ALLOWED_HOSTS];
  const hosts = options['allowedHosts'];
  if (Array.isArray(hosts) && !requestIssues.some((issue) => issue.option.startsWith('allowedHosts'))) {
    // Added to Light's hosts unless replacing them is asked for explicitly; duplicates are dropped.
    const base = options['replaceDefaultAllowedHosts'] === true ? [] : allowedHosts;
    allowedHosts = [...new Set([...base, ...(hosts as HostPattern[])])];
  }
  const replace = options['replaceDefaultAllowedHosts'];
  if (replace !== undefined && typeof replace !== 'boolean') {
    issues.push({ option: 'replaceDefaultAllowedHosts', message: 'must be a boolean' });
  } else if (replace === true && hosts === undefined) {
    issues.push({
      option: 'replaceDefaultAllowedHosts',
      message: 'needs allowedHosts (the hosts that replace the defaults; [] for none)',
    });
  }
  const fetchImpl = options['fetch'];
  const clock = options['clock'];
  const ky = options['ky'];
  if (ky !== undefined && (typeof ky !== 'object' || ky === null)) {
    issues.push({ option: 'ky', message: 'must be an object of ky options' });
  }
  return {
    baseUrl,
    allowedHosts,
    fetch: fetchImpl as typeof fetch | undefined,
    clock: clock as Clock | undefined,
    engine: pickRefreshEngineOptions(options as RefreshEngineOptions),
    maxRedirects: options['maxRedirects'] as number | undefined,
    ky: ky as KyOptions | undefined,
  };
}

function checkApiKey(options: Options, issues: ConfigIssue[]): Secret {
  for (const key of oauthKeys) {
    if (options[key] !== undefined)
      issues.push({ option: key, message: 'is an OAuth option and cannot be combined with apiKey' });
  }
  const value = secretValue(options['apiKey']);
  if (value === undefined) {
    issues.push({ option: 'apiKey', message: 'must be a string or a Secret' });
  } else if (value.trim() === '') {
    issues.push({ option: 'apiKey', message: 'must be a non-empty string' });
  } else if (/\s/.test(value)) {
    issues.push({ option: 'apiKey', message: 'must not contain whitespace (pass the key as issued)' });
  }
  return Secret.from(value ?? '');
}

function checkOAuth(options: Options, issues: ConfigIssue[]): ResolvedOAuth {
  const clientId = options['clientId'];
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    issues.push({
      option: 'clientId',
      message: clientId === undefined ? 'is required in OAuth mode' : 'must be a non-empty string',
    });
  }
  const clientSecret = secretValue(options['clientSecret']);
  if (options['clientSecret'] === undefined) {
    issues.push({ option: 'clientSecret', message: 'is required in OAuth mode' });
  } else if (clientSecret === undefined || clientSecret.trim() === '') {
    issues.push({ option: 'clientSecret', message: 'must be a non-empty string or a Secret' });
  }
  const redirectUri = options['redirectUri'];
  if (redirectUri === undefined) {
    issues.push({ option: 'redirectUri', message: 'is required in OAuth mode' });
  } else if (typeof redirectUri !== 'string') {
    issues.push({ option: 'redirectUri', message: 'must be a string' });
  } else {
    let url: URL | undefined;
    try {
      url = new URL(redirectUri);
    } catch {
      issues.push({ option: 'redirectUri', message: 'must be an absolute URL' });
    }
    // The code travels in this URL: over plain http anyone on the path could redeem it first.
    if (url !== undefined && !isSecureUrl(url)) {
      issues.push({ option: 'redirectUri', message: 'must use https: (plain http only for loopback hosts)' });
    }
    if (url !== undefined && url.hash !== '') {
      issues.push({ option: 'redirectUri', message: 'must not have a fragment (RFC 6749 §3.1.2)' });
    }
  }
  // store and storeKey are checked with the shared options.
  const store = options['store'];
  const storeKey = options['storeKey'];
  const id = typeof clientId === 'string' ? clientId : '';
  return {
    mode: 'oauth',
    clientId: id,
    clientSecret: Secret.from(clientSecret ?? ''),
    redirectUri: typeof redirectUri === 'string' ? redirectUri : '',
    store: store as TokenStore | undefined,
    storeKey: typeof storeKey === 'string' ? storeKey : `light:oauth:${id}`,
  };
}

/**
 * Validates `createLightAuth` options and applies defaults. Throws one {@link ConfigError} naming every bad option;
 * no message ever includes an option's value (it may be a secret).
 */
export function resolveLightOptions(input: LightAuthOptions): ResolvedLightOptions {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError([{ option: '(options)', message: 'must be an object' }]);
  }
  const options = input as unknown as Options;
  const issues: ConfigIssue[] = [];
  issues.push(...unknownOptionIssues(options, knownKeys));
  const common = checkCommon(options, issues);
  let resolved: ResolvedLightOptions;
  if (options['apiKey'] !== undefined) {
    resolved = { ...common, mode: 'api-key', apiKey: checkApiKey(options, issues) };
  } else if (oauthKeys.some((key) => options[key] !== undefined)) {
    resolved = { ...checkOAuth(options, issues), ...common };
  } else {
    issues.push({
      option: 'apiKey',
      message: 'is required, or clientId, clientSecret and redirectUri for OAuth mode',
    });
    resolved = { ...common, mode: 'api-key', apiKey: Secret.from('') };
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return resolved;
}
