import { type Auth, type CreateAuthOptions, createAuth } from '../auth.js';
import { checkAuthOptions } from '../auth-options.js';
import { base64UrlEncode } from '../base64url.js';
import { ServerClockOffset, systemClock } from '../clock.js';
import { definedOnly } from '../defined-only.js';
import {
  CodeReusedError,
  ConfigError,
  type ConfigIssue,
  isTransientError,
  ReauthRequiredError,
  TokenEndpointError,
} from '../errors.js';
import { assertSecureUrl, isLoopbackHost } from '../http/secure-url.js';
import type { SafeRetryOptions, TokenCallOptions } from '../http/token-endpoint.js';
import { type GrantCallContext, grantCallContext } from '../refresh/call-context.js';
import { Secret } from '../secret.js';
import { createTokenManager, type TokenManagerOptions } from '../token-manager.js';
import type { TokenErrorParser } from '../token-response.js';
import type { TokenSet } from '../token-set.js';
import { unknownOptionIssues } from '../unknown-options.js';
import { buildAuthorizationUrl, type PendingAuthorization } from './authorization-url.js';
import { type CallbackInput, validateCallback } from './callback.js';
import { type ClientAuthentication, type OAuthClient, protectClient } from './client.js';
import {
  clientCredentialsGrant,
  exchangeCode,
  type GrantOptions,
  refreshGrant,
  revokeToken,
} from './grants.js';

/** What a {@link TokenResponseHook} can do besides returning adjusted tokens. */
export interface TokenResponseContext {
  /** Which grant produced the tokens. */
  grant: 'authorization_code' | 'refresh_token' | 'client_credentials';
  /** Emits a `warning` event for this grant. */
  warn(code: string, message: string): Promise<void>;
  /**
   * For a refresh: the refresh token it spent and what was known of that token's expiry (the stored grant, or the
   * configured `refreshToken` seed with `refreshTokenExpiresAt`), so a vendor rule can reckon a rotated token's
   * lifetime from its predecessor's. `undefined` for the other grants.
   */
  previous?: Pick<TokenSet, 'refreshToken' | 'refreshExpiresAt'> | undefined;
}

/** Checks or adjusts tokens right after the token endpoint answered (vendor rules: lifetimes, claims). */
export type TokenResponseHook = (
  tokens: TokenSet,
  context: TokenResponseContext,
) => TokenSet | undefined | Promise<TokenSet | undefined>;

/** Options of {@link createOAuth2Auth}. */
export interface OAuth2AuthOptions
  extends Omit<CreateAuthOptions, 'credential' | 'tokens' | 'scheme'>,
    Pick<
      TokenManagerOptions,
      | 'store'
      | 'refreshWindowMs'
      | 'lockTtlMs'
      | 'lockWaitMs'
      | 'minRefreshIntervalMs'
      | 'refreshTokenWarningMs'
      | 'reauthMessage'
    > {
  /** The authorization endpoint (needed for `authorizationUrl`). */
  authorizationEndpoint?: string;
  tokenEndpoint: string;
  /** RFC 7009 revocation endpoint (needed for `revoke`). */
  revocationEndpoint?: string;
  clientId: string;
  clientSecret?: string | Secret;
  /** @default 'basic' when there is a secret, else 'none' */
  clientAuthentication?: ClientAuthentication;
  /**
   * Client authentication at the revocation endpoint, when it differs from the token endpoint's (Cognito takes the
   * secret in the body at `/oauth2/token` but only HTTP Basic at `/oauth2/revoke`). @default clientAuthentication
   */
  revocationClientAuthentication?: ClientAuthentication;
  /** Where the authorization server sends the user back. */
  redirectUri?: string;
  /** Space-separated scopes. */
  scope?: string;
  /** PKCE S256 on authorization requests. @default true */
  pkce?: boolean;
  /** `response_type` to send, or `null` to leave it out. @default 'code' */
  responseType?: string | null;
  /** `client_credentials`: the client gets its own tokens (no user, no refresh token needed). @default 'authorization_code' */
  grant?: 'authorization_code' | 'client_credentials';
  /** A refresh token to start from when the store has nothing (a service running unattended). */
  refreshToken?: string | Secret;
  /**
   * When the `refreshToken` seed itself expires, epoch ms, if you know it (servers that never say, such as
   * Cognito). Kept with the seed while the server does not rotate it, so the `refreshTokenWarningMs` warning comes
   * before it runs out, and an expired seed raises `ReauthRequiredError` (`refresh_token_expired`) without a request.
   */
  refreshTokenExpiresAt?: number;
  /** The grant's key in the store. @default `oauth2:<clientId>` */
  storeKey?: string;
  /** Token type to assume when the server leaves `token_type` out. @default 'bearer' */
  defaultTokenType?: string;
  /** Access-token lifetime to assume when the server leaves `expires_in` out, in seconds. */
  defaultExpiresInSeconds?: number;
  /** Safe retries of token requests. */
  retry?: SafeRetryOptions;
  /** Token request timeout in ms. @default 30000 */
  tokenTimeoutMs?: number;
  /** How the API header is written. @default 'token-type' (`Bearer …` for bearer tokens) */
  scheme?: CreateAuthOptions['scheme'];
  /** Runs after every token response (see {@link TokenResponseHook}). */
  onTokenResponse?: TokenResponseHook;
  /**
   * Reads the vendor's own error bodies at the token and revocation endpoints, for a vendor that does not answer
   * RFC 6749 §5.2's `{error}` (see {@link TokenErrorParser}). Mapping the vendor's "refresh token used or revoked"
   * to `invalid_grant` is what lets the token manager clear the grant and raise `ReauthRequiredError`.
   */
  parseTokenError?: TokenErrorParser;
}

/** Per-call overrides of {@link OAuth2Auth.authorizationUrl}: the state, scope, PKCE and extra parameters of one login. */
export interface AuthorizationUrlOverrides {
  /** @default generated */
  state?: string;
  /** @default the client's scope */
  scope?: string;
  /** @default the client's `pkce` option */
  pkce?: boolean;
  extraParams?: Record<string, string>;
}

/** Options of {@link OAuth2Auth.handleCallback}. */
export interface CallbackOptions {
  /** The `state` returned by `authorizationUrl`, kept server-side for this login attempt. */
  expectedState: string;
  /** The `codeVerifier` returned by `authorizationUrl` (PKCE). */
  codeVerifier?: string | undefined;
}

/** An {@link Auth} for an OAuth 2.0 server, with the authorization-code flow and revocation. */
export interface OAuth2Auth extends Auth {
  /** The URL to send the user to, with the `state` (and PKCE verifier) to keep for the callback. */
  authorizationUrl(options?: AuthorizationUrlOverrides): Promise<PendingAuthorization>;
  /**
   * Checks the callback (error, state) and exchanges the code. Stores and returns the tokens. A state mismatch or an
   * `error` parameter throws before any request is made. A code is sent at most once per Auth: handling the same
   * callback again throws {@link CodeReusedError} and sends nothing (unless the first attempt failed before its
   * request left, a `TransientError` with `requestMayHaveBeenProcessed: false`).
   */
  handleCallback(callback: CallbackInput, options: CallbackOptions): Promise<TokenSet>;
  /** Revokes the refresh token (or the access token) at the server and clears the store entry. */
  revoke(options?: { tokenTypeHint?: 'refresh_token' | 'access_token' }): Promise<void>;
}

/** Every option of {@link OAuth2AuthOptions}: the compiler keeps this list complete. */
const knownOptions: Record<keyof OAuth2AuthOptions, true> = {
  baseUrl: true,
  store: true,
  storeKey: true,
  refreshWindowMs: true,
  lockTtlMs: true,
  lockWaitMs: true,
  minRefreshIntervalMs: true,
  refreshTokenWarningMs: true,
  reauthMessage: true,
  scheme: true,
  allowedHosts: true,
  maxRedirects: true,
  fetch: true,
  clock: true,
  parseApiError: true,
  events: true,
  authorizationEndpoint: true,
  tokenEndpoint: true,
  revocationEndpoint: true,
  clientId: true,
  clientSecret: true,
  clientAuthentication: true,
  revocationClientAuthentication: true,
  redirectUri: true,
  scope: true,
  pkce: true,
  responseType: true,
  grant: true,
  refreshToken: true,
  refreshTokenExpiresAt: true,
  defaultTokenType: true,
  defaultExpiresInSeconds: true,
  retry: true,
  tokenTimeoutMs: true,
  onTokenResponse: true,
  parseTokenError: true,
};

/** Names other OAuth libraries (OIDC client metadata, openid-client, NextAuth…) use for these options. */
const optionAliases: Record<string, keyof OAuth2AuthOptions> = {
  tokenendpointauthmethod: 'clientAuthentication',
  authmethod: 'clientAuthentication',
  clientauthmethod: 'clientAuthentication',
  revocationendpointauthmethod: 'revocationClientAuthentication',
  redirecturl: 'redirectUri',
  redirecturis: 'redirectUri',
  callbackurl: 'redirectUri',
  callbackuri: 'redirectUri',
  authorizationurl: 'authorizationEndpoint',
  authorizeurl: 'authorizationEndpoint',
  tokenurl: 'tokenEndpoint',
  revocationurl: 'revocationEndpoint',
  revokeurl: 'revocationEndpoint',
  scopes: 'scope',
  usepkce: 'pkce',
  granttype: 'grant',
};

function validateOAuthOptions(options: OAuth2AuthOptions): void {
  const issues: ConfigIssue[] = [];
  if (typeof options !== 'object' || options === null) throw new ConfigError('options must be an object');
  issues.push(...unknownOptionIssues(options, Object.keys(knownOptions), optionAliases));
  const url = (
    name: 'tokenEndpoint' | 'authorizationEndpoint' | 'revocationEndpoint',
    required: boolean,
  ): void => {
    const value = options[name];
    if (value === undefined) {
      if (required) issues.push({ option: name, message: 'is required' });
      return;
    }
    try {
      assertSecureUrl(value, name);
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      else throw error;
    }
  };
  url('tokenEndpoint', true);
  url('authorizationEndpoint', false);
  url('revocationEndpoint', false);
  if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
    issues.push({ option: 'clientId', message: 'must be a non-empty string' });
  }
  if (options.clientSecret !== undefined) {
    const secret =
      options.clientSecret instanceof Secret ? options.clientSecret.reveal() : options.clientSecret;
    if (typeof secret !== 'string' || secret.trim() === '')
      issues.push({ option: 'clientSecret', message: 'must be a non-empty string' });
  }
  if (
    options.clientAuthentication !== undefined &&
    !['basic', 'body', 'none'].includes(options.clientAuthentication)
  ) {
    issues.push({ option: 'clientAuthentication', message: "must be 'basic', 'body' or 'none'" });
  }
  if (
    options.revocationClientAuthentication !== undefined &&
    !['basic', 'body', 'none'].includes(options.revocationClientAuthentication)
  ) {
    issues.push({ option: 'revocationClientAuthentication', message: "must be 'basic', 'body' or 'none'" });
  }
  if (
    (options.clientAuthentication === 'basic' || options.clientAuthentication === 'body') &&
    options.clientSecret === undefined
  ) {
    issues.push({
      option: 'clientSecret',
      message: `is required for clientAuthentication '${options.clientAuthentication}'`,
    });
  }
  if (options.redirectUri !== undefined) {
    try {
      const redirect = new URL(options.redirectUri);
      if (redirect.hash !== '')
        issues.push({ option: 'redirectUri', message: 'must not have a fragment (RFC 6749 §3.1.2)' });
      // The code travels in this URL: over plain http anyone on the path can take it (RFC 6749 §3.1.2.1).
      if (redirect.protocol === 'http:' && !isLoopbackHost(redirect.hostname)) {
        issues.push({
          option: 'redirectUri',
          message: `must use https: (got http://${redirect.host}); plain http is allowed only for loopback hosts`,
        });
      }
    } catch {
      issues.push({ option: 'redirectUri', message: 'must be an absolute URL' });
    }
  }
  if (
    options.grant !== undefined &&
    options.grant !== 'authorization_code' &&
    options.grant !== 'client_credentials'
  ) {
    issues.push({ option: 'grant', message: "must be 'authorization_code' or 'client_credentials'" });
  }
  if (options.refreshToken !== undefined) {
    const value =
      options.refreshToken instanceof Secret ? options.refreshToken.reveal() : options.refreshToken;
    if (typeof value !== 'string' || value.trim() === '')
      issues.push({ option: 'refreshToken', message: 'must be a non-empty string' });
  }
  if (options.refreshTokenExpiresAt !== undefined) {
    if (
      typeof options.refreshTokenExpiresAt !== 'number' ||
      !Number.isFinite(options.refreshTokenExpiresAt)
    ) {
      issues.push({ option: 'refreshTokenExpiresAt', message: 'must be a finite number (epoch ms)' });
    } else if (options.refreshToken === undefined) {
      issues.push({ option: 'refreshTokenExpiresAt', message: 'is only meaningful with refreshToken' });
    }
  }
  issues.push(...checkAuthOptions(options));
  if (issues.length > 0) throw new ConfigError(issues);
}

/** How many sent codes an Auth remembers; codes live minutes (Cognito: 5), so the oldest are long dead. */
const MAX_REMEMBERED_CODES = 1000;

/** SHA-256 of a code, base64url: what is kept of a sent code, so the Auth never holds a usable one. */
async function codeDigest(code: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code));
  return base64UrlEncode(new Uint8Array(digest));
}

function rememberCode(sent: Set<string>, digest: string): void {
  sent.add(digest);
  if (sent.size > MAX_REMEMBERED_CODES) {
    const oldest = sent.values().next().value;
    if (oldest !== undefined) sent.delete(oldest);
  }
}

/**
 * An {@link Auth} for any RFC 6749 server: authorization code with optional PKCE, refresh (rotating or not), client
 * credentials, revocation (RFC 7009). `@auth/light` and `@auth/lightfi` are configurations of it.
 *
 * @example
 * ```ts
 * const auth = createOAuth2Auth({
 *   baseUrl: 'https://api.acme.test',
 *   authorizationEndpoint: 'https://auth.acme.test/authorize',
 *   tokenEndpoint: 'https://auth.acme.test/token',
 *   clientId, clientSecret, redirectUri: 'https://app.example/callback',
 * });
 * const { url, state, codeVerifier } = await auth.authorizationUrl();
 * // … after the redirect back:
 * await auth.handleCallback(callbackUrl, { expectedState: state, codeVerifier });
 * const me = await (await auth.fetch('https://api.acme.test/me')).json();
 * ```
 */
export function createOAuth2Auth(options: OAuth2AuthOptions): OAuth2Auth {
  validateOAuthOptions(options);
  const client: OAuthClient = protectClient({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    ...definedOnly({ authentication: options.clientAuthentication }),
  });
  const revocationClient: OAuthClient =
    options.revocationClientAuthentication === undefined
      ? client
      : { ...client, authentication: options.revocationClientAuthentication };
  const seedRefreshToken = options.refreshToken === undefined ? undefined : Secret.from(options.refreshToken);
  // Its ignored Date headers become CLOCK_SKEW_IGNORED warnings through each request's `warn`.
  const serverClock = new ServerClockOffset();
  const storeKey = options.storeKey ?? `oauth2:${options.clientId}`;
  // Digests of the codes already sent: a code goes to the token endpoint at most once per Auth.
  const sentCodes = new Set<string>();

  /** What every token request shares; each call adds its context's signal, retry bound and event wiring. */
  const shared: Omit<GrantOptions, 'tokenEndpoint' | 'client'> & TokenCallOptions = {
    serverClock,
    defaultTokenType: options.defaultTokenType ?? 'bearer',
    ...definedOnly({
      defaultExpiresInSeconds: options.defaultExpiresInSeconds,
      fetch: options.fetch,
      timeoutMs: options.tokenTimeoutMs,
      parseTokenError: options.parseTokenError,
    }),
  };
  const callOptions = (
    context: GrantCallContext,
  ): Omit<GrantOptions, 'tokenEndpoint' | 'client'> & TokenCallOptions => ({
    ...shared,
    ...context.tokenRequest(options.tokenEndpoint, options.retry),
  });

  const afterTokens = async (
    tokens: TokenSet,
    grant: TokenResponseContext['grant'],
    context: GrantCallContext,
    previous?: TokenResponseContext['previous'],
  ): Promise<TokenSet> => {
    if (options.onTokenResponse === undefined) return tokens;
    const adjusted = await options.onTokenResponse(tokens, { grant, warn: context.warn, previous });
    return adjusted ?? tokens;
  };

  // The current access and ID tokens are scrubbed too: a server may echo any token it was given or issued.
  const refreshWith = async (
    refreshToken: string,
    context: GrantCallContext,
    current?: TokenSet,
  ): Promise<TokenSet> =>
    afterTokens(
      await refreshGrant({
        ...callOptions(context),
        tokenEndpoint: options.tokenEndpoint,
        client,
        refreshToken,
        scope: undefined,
        accessToken: current?.accessToken,
        secrets: [current?.idToken],
      }),
      'refresh_token',
      context,
      // Without stored tokens the refresh token is the configured seed, whose expiry is the option's.
      {
        refreshToken,
        ...definedOnly({
          refreshExpiresAt: (current ?? { refreshExpiresAt: seedExpiresAt }).refreshExpiresAt,
        }),
      },
    );

  const clientCredentials = async (context: GrantCallContext): Promise<TokenSet> =>
    afterTokens(
      await clientCredentialsGrant({
        ...callOptions(context),
        tokenEndpoint: options.tokenEndpoint,
        client,
        scope: options.scope,
      }),
      'client_credentials',
      context,
    );

  const {
    refreshToken: _seed,
    refreshTokenExpiresAt: seedExpiresAt,
    parseTokenError: _parseTokenError,
    ...authOptions
  } = options;
  const clock = options.clock ?? systemClock;
  const tokens = createTokenManager({
    storeKey,
    ...definedOnly({
      store: options.store,
      clock: options.clock,
      events: options.events,
      refreshWindowMs: options.refreshWindowMs,
      lockTtlMs: options.lockTtlMs,
      lockWaitMs: options.lockWaitMs,
      minRefreshIntervalMs: options.minRefreshIntervalMs,
      refreshTokenWarningMs: options.refreshTokenWarningMs,
      reauthMessage: options.reauthMessage,
    }),
    refresh: (context) => refreshWith(context.tokens.refreshToken, context, context.tokens),
    ...(options.grant === 'client_credentials'
      ? { acquire: (context) => clientCredentials(context) }
      : seedRefreshToken === undefined
        ? {}
        : {
            acquire: async (context) => {
              const { reason } = context;
              // The configured refresh token starts a grant only once: after a rejection it is as dead as the stored one.
              if (reason !== 'no_tokens') {
                throw new ReauthRequiredError(
                  reason === 'refresh_token_expired'
                    ? `The refresh token for "${storeKey}" has expired: configure a new one`
                    : `The refresh token for "${storeKey}" was rejected: configure a new one`,
                  reason,
                );
              }
              if (seedExpiresAt !== undefined && clock.now() >= seedExpiresAt) {
                throw new ReauthRequiredError(
                  `The refresh token for "${storeKey}" has expired: configure a new one`,
                  'refresh_token_expired',
                );
              }
              const tokens = await refreshWith(seedRefreshToken.reveal(), context);
              if (tokens.refreshToken !== undefined) return tokens;
              // Not rotated: the seed goes on, with what is known of its expiry.
              return {
                ...tokens,
                refreshToken: seedRefreshToken.reveal(),
                ...(seedExpiresAt === undefined ? {} : { refreshExpiresAt: seedExpiresAt }),
              };
            },
          }),
  });
  const auth = createAuth({ ...authOptions, tokens, scheme: options.scheme ?? 'token-type' });
  /** The context of a call outside the refresh engine (a code exchange, a revocation): no lease bounds it. */
  const ownCall = (): GrantCallContext =>
    grantCallContext({
      key: storeKey,
      events: auth.events,
      clock,
      maxRetryAfterMs: Number.POSITIVE_INFINITY,
    });

  return {
    ...auth,
    async authorizationUrl(request = {}) {
      if (options.authorizationEndpoint === undefined) {
        throw new ConfigError([
          { option: 'authorizationEndpoint', message: 'is required for authorizationUrl()' },
        ]);
      }
      if (options.redirectUri === undefined) {
        throw new ConfigError([{ option: 'redirectUri', message: 'is required for authorizationUrl()' }]);
      }
      return buildAuthorizationUrl({
        authorizationEndpoint: options.authorizationEndpoint,
        clientId: options.clientId,
        redirectUri: options.redirectUri,
        scope: request.scope ?? options.scope,
        state: request.state,
        pkce: request.pkce ?? options.pkce ?? true,
        ...definedOnly({ responseType: options.responseType, extraParams: request.extraParams }),
      });
    },
    async handleCallback(callback, callbackOptions) {
      if (options.redirectUri === undefined) {
        throw new ConfigError([{ option: 'redirectUri', message: 'is required for handleCallback()' }]);
      }
      const code = validateCallback(callback, callbackOptions?.expectedState);
      const digest = await codeDigest(code);
      // Checked and marked with no await in between, so two concurrent calls with one code send it once.
      if (sentCodes.has(digest)) throw new CodeReusedError();
      rememberCode(sentCodes, digest);
      const context = ownCall();
      let tokens: TokenSet;
      try {
        tokens = await exchangeCode({
          ...callOptions(context),
          tokenEndpoint: options.tokenEndpoint,
          client,
          code,
          redirectUri: options.redirectUri,
          codeVerifier: callbackOptions.codeVerifier,
        });
      } catch (error) {
        // Only a request that never left may be tried again with the same code.
        if (isTransientError(error) && !error.requestMayHaveBeenProcessed) sentCodes.delete(digest);
        throw error;
      }
      return auth.setTokens(await afterTokens(tokens, 'authorization_code', context));
    },
    async revoke(revokeOptions = {}) {
      if (options.revocationEndpoint === undefined) {
        throw new ConfigError([{ option: 'revocationEndpoint', message: 'is required for revoke()' }]);
      }
      const tokens = await auth.peek();
      const hint =
        revokeOptions.tokenTypeHint ??
        (tokens?.refreshToken === undefined ? 'access_token' : 'refresh_token');
      const token = hint === 'refresh_token' ? tokens?.refreshToken : tokens?.accessToken;
      if (token !== undefined) {
        try {
          await revokeToken({
            ...callOptions(ownCall()),
            revocationEndpoint: options.revocationEndpoint,
            client: revocationClient,
            token,
            tokenTypeHint: hint,
            secrets: [tokens?.accessToken, tokens?.refreshToken, tokens?.idToken],
          });
        } catch (error) {
          // An already-invalid token is as good as revoked; anything else leaves the grant in place.
          if (!(error instanceof TokenEndpointError && error.error === 'invalid_grant')) throw error;
        }
      }
      await auth.clear();
    },
  };
}
