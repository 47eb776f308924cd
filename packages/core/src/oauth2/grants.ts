import { assertSecureUrl } from '../http/secure-url.js';
import { sendTokenRequest, type TokenCallOptions } from '../http/token-endpoint.js';
import {
  type ProcessOAuthTokenResponseOptions,
  processOAuthTokenResponse,
  type TokenErrorParser,
  tokenEndpointError,
} from '../token-response.js';
import type { TokenSet } from '../token-set.js';
import { applyClientAuthentication, type OAuthClient } from './client.js';

/** Options shared by the grant calls. */
export interface GrantOptions extends TokenCallOptions, Omit<ProcessOAuthTokenResponseOptions, 'secrets'> {
  /** The token endpoint URL. */
  tokenEndpoint: string;
  client: OAuthClient;
  /** Extra form parameters (e.g. `resource`, `audience`). */
  extraParams?: Record<string, string>;
}

async function tokenGrant(
  options: GrantOptions,
  form: URLSearchParams,
  secrets: Array<string | undefined>,
): Promise<TokenSet> {
  const url = assertSecureUrl(options.tokenEndpoint, 'tokenEndpoint').toString();
  const headers: Record<string, string> = {};
  applyClientAuthentication(options.client, form, headers);
  for (const [name, value] of Object.entries(options.extraParams ?? {})) form.set(name, value);
  const allSecrets = [...secrets, options.client.clientSecret, ...(options.secrets ?? [])];
  const response = await sendTokenRequest({ url, headers, body: form }, { ...options, secrets: allSecrets });
  const processOptions: ProcessOAuthTokenResponseOptions = { secrets: allSecrets };
  if (options.defaultTokenType !== undefined) processOptions.defaultTokenType = options.defaultTokenType;
  if (options.defaultExpiresInSeconds !== undefined)
    processOptions.defaultExpiresInSeconds = options.defaultExpiresInSeconds;
  if (options.what !== undefined) processOptions.what = options.what;
  if (options.parseTokenError !== undefined) processOptions.parseTokenError = options.parseTokenError;
  return processOAuthTokenResponse(response, processOptions);
}

/**
 * Exchanges an authorization code for tokens (RFC 6749 §4.1.3). Sent once: a code exchange whose request may have
 * reached the server is never retried (codes are single-use; a replay can revoke the grant).
 *
 * @example
 * ```ts
 * const tokens = await exchangeCode({ tokenEndpoint, client, code, redirectUri, codeVerifier });
 * ```
 */
export function exchangeCode(
  options: GrantOptions & { code: string; redirectUri: string; codeVerifier?: string | undefined },
): Promise<TokenSet> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: options.code,
    redirect_uri: options.redirectUri,
  });
  if (options.codeVerifier !== undefined) form.set('code_verifier', options.codeVerifier);
  return tokenGrant(options, form, [options.code, options.codeVerifier]);
}

/**
 * Uses a refresh token (RFC 6749 §6). The response may carry a new (rotated) refresh token. Pass the access token
 * being replaced as `accessToken`: it is not sent, but it is scrubbed from any error like the refresh token and the
 * client secret, in case the server echoes it.
 */
export function refreshGrant(
  options: GrantOptions & {
    refreshToken: string;
    scope?: string | undefined;
    /** The current access token, scrubbed from errors (never sent). */
    accessToken?: string | undefined;
  },
): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: options.refreshToken });
  if (options.scope !== undefined) form.set('scope', options.scope);
  return tokenGrant(options, form, [options.refreshToken, options.accessToken]);
}

/** Gets tokens for the client itself (RFC 6749 §4.4). */
export function clientCredentialsGrant(
  options: GrantOptions & { scope?: string | undefined },
): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (options.scope !== undefined) form.set('scope', options.scope);
  return tokenGrant(options, form, []);
}

/** Options of {@link revokeToken}. */
export interface RevokeOptions extends TokenCallOptions {
  revocationEndpoint: string;
  client: OAuthClient;
  token: string;
  tokenTypeHint?: 'refresh_token' | 'access_token';
  /** Reads the vendor's error bodies before the standard OAuth reading. */
  parseTokenError?: TokenErrorParser | undefined;
}

/**
 * Revokes a token (RFC 7009). A 200 response — also for a token the server did not know — is success; an error
 * response throws {@link TokenEndpointError}.
 */
export async function revokeToken(options: RevokeOptions): Promise<void> {
  const url = assertSecureUrl(options.revocationEndpoint, 'revocationEndpoint').toString();
  const form = new URLSearchParams({ token: options.token });
  if (options.tokenTypeHint !== undefined) form.set('token_type_hint', options.tokenTypeHint);
  const headers: Record<string, string> = {};
  applyClientAuthentication(options.client, form, headers);
  const secrets = [options.token, options.client.clientSecret, ...(options.secrets ?? [])];
  const response = await sendTokenRequest({ url, headers, body: form }, { ...options, secrets });
  if (response.status < 200 || response.status >= 300) {
    throw tokenEndpointError(response, secrets, options.parseTokenError);
  }
}
