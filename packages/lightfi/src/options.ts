import {
  type AuthOptions,
  type Clock,
  ConfigError,
  type ConfigIssue,
  Secret,
  type TokenStore,
} from '@auth/core';
import {
  isLoopbackHost,
  issueMessage,
  pickRefreshEngineOptions,
  type RefreshEngineOptions,
  unknownOptionIssues,
} from '@auth/core/adapter';
import { authOptionsSchema } from '@auth/core/schemas';
import * as z from 'zod/mini';
import {
  type CognitoEndpoints,
  cognitoEndpoints,
  DEFAULT_AUTH_DOMAIN,
  DEFAULT_BASE_URL,
  DEFAULT_CALLBACK_URLS,
  DEFAULT_SCOPE,
  DEFAULT_SIGN_OUT_URLS,
} from './cognito.js';
import { type Duration, formatDuration, parseDuration } from './duration.js';
import {
  ACCESS_TOKEN_LIFETIME,
  defaultRefreshTokenWarningMs,
  describeBounds,
  type LifetimeBounds,
  REFRESH_TOKEN_LIFETIME,
  type ResolvedLifetimes,
} from './lifetimes.js';
import { isRegistered, nearMiss, registeredUrlProblem } from './registered-urls.js';

/** The app client's token lifetimes, as configured at LightFi (ask LightFi support if unsure). */
export interface LightFiLifetimes {
  /**
   * Access-token lifetime: 5 minutes to 1 day inclusive.
   * @default '240m'
   */
  accessToken?: Duration;
  /**
   * Refresh-token lifetime: 60 minutes to 3650 days inclusive.
   * @default '3650d'
   */
  refreshToken?: Duration;
}

/**
 * Options of `createLightFiAuth`: core's shared {@link AuthOptions} (`baseUrl`, default `https://apiv2.lightfi.io`;
 * `store`; `storeKey`, default `lightfi:<clientId>`; `fetch`; `clock`; the refresh engine's `refreshWindowMs`,
 * `lockTtlMs`, `lockWaitMs`, `tokenTimeoutMs`, `minRefreshIntervalMs`) and LightFi's own.
 */
export interface LightFiAuthOptions extends AuthOptions {
  /** The app client id LightFi issued. */
  clientId: string;
  /** The app client secret LightFi issued. Wrap it in a core `Secret` to keep it out of your own logs too. */
  clientSecret: string | Secret;
  /**
   * How the client authenticates at the token endpoint: `basic` = `Authorization: Basic base64(id:secret)`
   * (Cognito's documented method), `body` = `client_id` and `client_secret` form fields (LightFi's examples).
   * Revocation always uses Basic, as Cognito requires.
   * @default 'basic'
   */
  clientAuthentication?: 'basic' | 'body';
  /**
   * The Cognito domain; endpoints are `/oauth2/authorize`, `/oauth2/token`, `/oauth2/revoke` and `/logout` on it.
   * @default 'https://lightfiv2.auth.eu-west-2.amazoncognito.com'
   */
  authDomain?: string;
  /**
   * Space-separated scopes for the authorization request.
   * @default 'aws.cognito.signin.user.admin'
   */
  scope?: string;
  /**
   * Where Cognito sends the user back after sign-in. Sent exactly as written (never normalised) and must equal one of
   * `callbackUrls` as a string, as Cognito compares it: `http://localhost:3000` and `http://localhost:3000/` differ.
   * Needed for the code flow only.
   */
  redirectUri?: string;
  /**
   * The app client's callback URLs, spelled exactly as registered at Cognito. Each must be `https:`, or `http:` on
   * localhost / a loopback address. LightFi's default client registers `http://localhost:3000/` (with the slash);
   * LightFi's Flask example registers `http://localhost:3000` (without): list the one your app client has.
   * @default ['http://localhost:3000/', 'https://apiv2.lightfi.io/docs/redirect', 'https://oauth.pstmn.io/v1/callback']
   */
  callbackUrls?: readonly string[];
  /**
   * The app client's sign-out URLs (`logoutUrl` accepts only these). Same URL rules as `callbackUrls`.
   * @default []
   */
  signOutUrls?: readonly string[];
  /** The app client's token lifetimes (see {@link LightFiLifetimes}). */
  lifetimes?: LightFiLifetimes;
  /**
   * A refresh token to start from when the store holds nothing: the machine-to-machine shim. The service then runs
   * unattended for the refresh token's lifetime.
   */
  refreshToken?: string | Secret;
  /**
   * When the `refreshToken` seed was issued (a `Date`, epoch ms, or an ISO-8601 string): Cognito never says when a
   * refresh token expires, so the seed's expiry is this plus `lifetimes.refreshToken`. With it (or
   * `refreshTokenExpiresAt`) the `REFRESH_TOKEN_EXPIRING` warning comes before the seed runs out, and an expired
   * seed raises `ReauthRequiredError` (`refresh_token_expired`) without a request. Without either, the seed's
   * expiry is unknown and the first sign of it is Cognito's `invalid_grant`.
   */
  refreshTokenIssuedAt?: Date | number | string;
  /** When the `refreshToken` seed expires (a `Date`, epoch ms, or an ISO-8601 string); see `refreshTokenIssuedAt`. */
  refreshTokenExpiresAt?: Date | number | string;
  /**
   * Emit a `warning` event (`REFRESH_TOKEN_EXPIRING`) once when the refresh token expires within this many
   * milliseconds.
   * @default a tenth of the refresh-token lifetime, at most 86400000 (1 day)
   */
  refreshTokenWarningMs?: number;
  /**
   * When a refresh token that came from a rotation (Cognito refresh-token rotation on) expires. Cognito's sources
   * disagree, so this is a choice: `'anchored'` — it expires when the first sign-in's refresh token would have (the
   * earlier reading, so `REFRESH_TOKEN_EXPIRING` comes in time on either); `'restarts'` — a full
   * `lifetimes.refreshToken` from the rotation (say so once you know your app client behaves that way).
   * @default 'anchored'
   */
  rotatedRefreshTokenLifetime?: 'anchored' | 'restarts';
}

/** The options after validation, with every default filled in. */
export interface ResolvedLightFiOptions {
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly clientAuthentication: 'basic' | 'body';
  readonly authDomain: string;
  readonly endpoints: CognitoEndpoints;
  readonly baseUrl: string;
  readonly scope: string;
  /** The redirect URI exactly as given (it is one of `callbackUrls`). */
  readonly redirectUri: string | undefined;
  readonly callbackUrls: readonly string[];
  readonly signOutUrls: readonly string[];
  readonly lifetimes: ResolvedLifetimes;
  readonly refreshToken: Secret | undefined;
  /** When the seed refresh token expires, epoch ms, when known. */
  readonly refreshTokenExpiresAt: number | undefined;
  readonly store: TokenStore | undefined;
  readonly storeKey: string;
  readonly fetch: typeof fetch | undefined;
  readonly clock: Clock | undefined;
  readonly engine: RefreshEngineOptions;
  readonly refreshTokenWarningMs: number;
  readonly rotatedRefreshTokenLifetime: 'anchored' | 'restarts';
}

const nonEmptyString = z
  .string({ error: 'must be a non-empty string' })
  .check(z.refine((value) => value.trim() !== '', 'must be a non-empty string'));

const secretValue = z.custom<string | Secret>(
  (value) =>
    (typeof value === 'string' && value.trim() !== '') ||
    (value instanceof Secret && value.reveal().trim() !== ''),
  { error: 'must be a non-empty string or a Secret' },
);

/** An origin-like URL that may receive credentials: https, or http on loopback; no query or fragment. */
const serviceUrl = z.string({ error: 'must be an absolute URL' }).check(
  z.superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
      ctx.addIssue({
        code: 'custom',
        message: `must use https: (got ${url.protocol}//${url.host}); plain http is allowed only for loopback hosts`,
      });
    }
    if (url.search !== '' || url.hash !== '')
      ctx.addIssue({ code: 'custom', message: 'must not have a query or fragment' });
    if (url.username !== '' || url.password !== '')
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
  }),
);

const urlList = z
  .array(z.string({ error: 'must be a URL string' }), { error: 'must be an array of URLs' })
  .check(
    z.superRefine((list, ctx) => {
      list.forEach((value, index) => {
        const problem = registeredUrlProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [index], message: problem });
      });
    }),
  );

const milliseconds = z
  .number({ error: 'must be a non-negative number of milliseconds' })
  .check(
    z.refine(
      (value) => Number.isFinite(value) && value >= 0,
      'must be a non-negative number of milliseconds',
    ),
  );

/** Fails a transform with one issue naming what is wrong (never the value: it may be a secret). */
function fail(ctx: z.core.ParsePayload, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return z.NEVER;
}

function lifetime(bounds: LifetimeBounds) {
  const range = describeBounds(bounds);
  return z.pipe(
    z.unknown(),
    z.transform((value: unknown, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        return fail(
          ctx,
          `must be a duration such as '240m', '1h', '300s' or '1d', or a whole number of milliseconds, ${range}`,
        );
      }
      if (ms < bounds.minMs || ms > bounds.maxMs) {
        return fail(ctx, `must be ${range} (got ${formatDuration(ms)})`);
      }
      return ms;
    }),
  );
}

/** A point in time: a valid `Date`, finite epoch ms, or an ISO-8601 string with a date and a time; as epoch ms. */
const instant = z.pipe(
  z.union([z.date(), z.number(), z.string()], {
    error: 'must be a Date, epoch milliseconds or an ISO-8601 date-time',
  }),
  z.transform((value: Date | number | string, ctx) => {
    const ms =
      value instanceof Date
        ? value.getTime()
        : typeof value === 'number'
          ? value
          : /^\d{4}-\d{2}-\d{2}T/.test(value)
            ? Date.parse(value)
            : Number.NaN;
    if (!Number.isFinite(ms)) return fail(ctx, 'must be a Date, epoch milliseconds or an ISO-8601 date-time');
    return ms;
  }),
);

/** The keys of `lifetimes`. */
const LIFETIME_KEYS = ['accessToken', 'refreshToken'];

// The shared options (baseUrl, store, storeKey, fetch, clock, the refresh engine's) are core's schema.
const optionsSchema = z.strictObject({
  clientId: nonEmptyString,
  clientSecret: secretValue,
  clientAuthentication: z.optional(z.enum(['basic', 'body'], { error: "must be 'basic' or 'body'" })),
  authDomain: z.optional(serviceUrl),
  scope: z.optional(nonEmptyString),
  redirectUri: z.optional(z.string({ error: 'must be an absolute URL' })),
  callbackUrls: z.optional(urlList),
  signOutUrls: z.optional(urlList),
  lifetimes: z.optional(
    z.strictObject(
      {
        accessToken: z.optional(lifetime(ACCESS_TOKEN_LIFETIME)),
        refreshToken: z.optional(lifetime(REFRESH_TOKEN_LIFETIME)),
      },
      { error: 'must be an object { accessToken?, refreshToken? }' },
    ),
  ),
  refreshToken: z.optional(secretValue),
  refreshTokenIssuedAt: z.optional(instant),
  refreshTokenExpiresAt: z.optional(instant),
  ...authOptionsSchema.shape,
  refreshTokenWarningMs: z.optional(milliseconds),
  rotatedRefreshTokenLifetime: z.optional(
    z.enum(['anchored', 'restarts'], { error: "must be 'anchored' or 'restarts'" }),
  ),
});

function toConfigIssues(error: z.core.$ZodError): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const parent = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      // Worded as every factory words it, with the option meant when one is close.
      const known =
        parent === '' ? Object.keys(optionsSchema.shape) : parent === 'lifetimes' ? LIFETIME_KEYS : [];
      const unknown = Object.fromEntries(issue.keys.map((key) => [key, true]));
      for (const found of unknownOptionIssues(unknown, known)) {
        issues.push({ ...found, option: parent === '' ? found.option : `${parent}.${found.option}` });
      }
      continue;
    }
    issues.push({ option: parent === '' ? '(options)' : parent, message: issue.message });
  }
  return issues;
}

/** Checks that need two options at once; run on the raw input so they are reported with every other problem. */
function crossChecks(raw: Record<string, unknown>): {
  issues: ConfigIssue[];
  redirectUri: string | undefined;
} {
  const issues: ConfigIssue[] = [];
  for (const option of ['refreshTokenIssuedAt', 'refreshTokenExpiresAt']) {
    if (raw[option] !== undefined && raw['refreshToken'] === undefined) {
      issues.push({ option, message: 'is only meaningful with refreshToken' });
    }
  }
  if (raw['refreshTokenIssuedAt'] !== undefined && raw['refreshTokenExpiresAt'] !== undefined) {
    issues.push({
      option: 'refreshTokenExpiresAt',
      message: 'give refreshTokenIssuedAt or refreshTokenExpiresAt, not both',
    });
  }
  const redirectUri = raw['redirectUri'];
  if (typeof redirectUri !== 'string') return { issues, redirectUri: undefined };
  if (registeredUrlProblem(redirectUri) === 'must be an absolute URL') {
    issues.push({ option: 'redirectUri', message: 'must be an absolute URL' });
    return { issues, redirectUri: undefined };
  }
  const callbackUrls = z.safeParse(urlList, raw['callbackUrls'] ?? DEFAULT_CALLBACK_URLS, {
    error: issueMessage,
  });
  // A bad callbackUrls list is reported on its own; matching against it would only add noise.
  if (!callbackUrls.success) return { issues, redirectUri: undefined };
  if (isRegistered(callbackUrls.data, redirectUri)) return { issues, redirectUri };
  const list = callbackUrls.data.length === 0 ? '(none)' : callbackUrls.data.join(', ');
  const near = nearMiss(callbackUrls.data, redirectUri);
  issues.push({
    option: 'redirectUri',
    message:
      `must be exactly one of the app client's callbackUrls (Cognito compares the exact string): ${list}` +
      (near === undefined
        ? ''
        : `; '${near}' is registered: use that spelling, or add this one to callbackUrls if the app client registers it`),
  });
  return { issues, redirectUri: undefined };
}

/**
 * Validates {@link LightFiAuthOptions} and fills in the defaults. Every problem is collected into one
 * {@link ConfigError}; option values are never echoed for secrets.
 */
export function resolveOptions(input: LightFiAuthOptions): ResolvedLightFiOptions {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError([{ option: '(options)', message: 'must be an object' }]);
  }
  const raw = input as unknown as Record<string, unknown>;
  const parsed = z.safeParse(optionsSchema, raw, { error: issueMessage });
  const cross = crossChecks(raw);
  const issues = [...(parsed.success ? [] : toConfigIssues(parsed.error)), ...cross.issues];
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);
  const options = parsed.data;
  const authDomain = (options.authDomain ?? DEFAULT_AUTH_DOMAIN).replace(/\/+$/, '');
  const lifetimes: ResolvedLifetimes = Object.freeze({
    accessTokenMs: options.lifetimes?.accessToken ?? ACCESS_TOKEN_LIFETIME.defaultMs,
    refreshTokenMs: options.lifetimes?.refreshToken ?? REFRESH_TOKEN_LIFETIME.defaultMs,
  });
  return {
    clientId: options.clientId,
    clientSecret: Secret.from(options.clientSecret),
    clientAuthentication: options.clientAuthentication ?? 'basic',
    authDomain,
    endpoints: cognitoEndpoints(authDomain),
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    scope: options.scope ?? DEFAULT_SCOPE,
    redirectUri: cross.redirectUri,
    callbackUrls: Object.freeze([...(options.callbackUrls ?? DEFAULT_CALLBACK_URLS)]),
    signOutUrls: Object.freeze([...(options.signOutUrls ?? DEFAULT_SIGN_OUT_URLS)]),
    lifetimes,
    refreshToken: options.refreshToken === undefined ? undefined : Secret.from(options.refreshToken),
    refreshTokenExpiresAt:
      options.refreshTokenExpiresAt ??
      (options.refreshTokenIssuedAt === undefined
        ? undefined
        : options.refreshTokenIssuedAt + lifetimes.refreshTokenMs),
    store: options.store,
    storeKey: options.storeKey ?? `lightfi:${options.clientId}`,
    fetch: options.fetch,
    clock: options.clock,
    engine: pickRefreshEngineOptions(options),
    refreshTokenWarningMs:
      options.refreshTokenWarningMs ?? defaultRefreshTokenWarningMs(lifetimes.refreshTokenMs),
    rotatedRefreshTokenLifetime: options.rotatedRefreshTokenLifetime ?? 'anchored',
  };
}
