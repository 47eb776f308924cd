import { ConfigError } from '../errors.js';
import { assertSecureUrl } from '../http/secure-url.js';
import { computeCodeChallenge, generateCodeVerifier } from './pkce.js';
import { generateState } from './state.js';

/** Options of {@link buildAuthorizationUrl}. */
export interface AuthorizationUrlOptions {
  /** The authorization endpoint, e.g. `https://auth.example.com/oauth2/authorize`. */
  authorizationEndpoint: string;
  clientId: string;
  redirectUri: string;
  /** Space-separated scopes; left out when undefined. */
  scope?: string | undefined;
  /** The `state` to send; generated (32 random bytes) when absent. */
  state?: string | undefined;
  /** Add a PKCE S256 challenge (RFC 7636). @default false */
  pkce?: boolean;
  /** `response_type` to send, or `null` to leave it out (some servers, like Light's, document none). @default 'code' */
  responseType?: string | null;
  /**
   * Further query parameters (e.g. `prompt`). The parameters the client sets itself ({@link RESERVED_AUTHORIZATION_PARAMS})
   * cannot be given here: a {@link ConfigError} names the one that was.
   */
  extraParams?: Record<string, string>;
}

/**
 * The authorization request parameters that come from their own options, never from `extraParams`: overriding
 * `state`, `redirect_uri` or the PKCE challenge there would silently defeat CSRF protection or PKCE.
 */
export const RESERVED_AUTHORIZATION_PARAMS: readonly string[] = /* @__PURE__ */ Object.freeze([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
]);

const reservedOption: Record<string, string> = {
  response_type: 'responseType',
  client_id: 'clientId',
  redirect_uri: 'redirectUri',
  scope: 'scope',
  state: 'state',
  code_challenge: 'pkce',
  code_challenge_method: 'pkce',
};

/** Throws a {@link ConfigError} naming each reserved parameter in `extraParams`. */
export function assertNoReservedParams(extraParams: Record<string, string> | undefined): void {
  const issues = Object.keys(extraParams ?? {})
    .filter((name) => RESERVED_AUTHORIZATION_PARAMS.includes(name))
    .map((name) => ({
      option: `extraParams.${name}`,
      message: `is reserved: the client sets ${name} itself (use the ${reservedOption[name]} option)`,
    }));
  if (issues.length > 0) throw new ConfigError(issues);
}

/** The URL to send the user to, and what to keep (server-side, per login attempt) for the callback. */
export interface PendingAuthorization {
  url: string;
  /** Compare with the callback's `state` using {@link validateCallback}. */
  state: string;
  /** The PKCE verifier to send with the code exchange, when `pkce` was on. */
  codeVerifier?: string;
}

/**
 * Builds an authorization-code request URL (RFC 6749 §4.1.1) with a generated `state` and optional PKCE.
 * `extraParams` naming a reserved parameter (`state`, `redirect_uri`, `client_id`, `response_type`, `scope`,
 * `code_challenge`, `code_challenge_method`) is a {@link ConfigError}.
 *
 * @example
 * ```ts
 * const { url, state, codeVerifier } = await buildAuthorizationUrl({
 *   authorizationEndpoint: 'https://auth.example.com/authorize', clientId, redirectUri, pkce: true,
 * });
 * session.oauth = { state, codeVerifier }; // keep for the callback
 * ```
 */
export async function buildAuthorizationUrl(options: AuthorizationUrlOptions): Promise<PendingAuthorization> {
  const url = assertSecureUrl(options.authorizationEndpoint, 'authorizationEndpoint');
  assertNoReservedParams(options.extraParams);
  const state = options.state ?? generateState();
  const responseType = options.responseType === undefined ? 'code' : options.responseType;
  if (responseType !== null) url.searchParams.set('response_type', responseType);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  if (options.scope !== undefined) url.searchParams.set('scope', options.scope);
  url.searchParams.set('state', state);
  const result: PendingAuthorization = { url: '', state };
  if (options.pkce) {
    const codeVerifier = generateCodeVerifier();
    url.searchParams.set('code_challenge', await computeCodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    result.codeVerifier = codeVerifier;
  }
  for (const [name, value] of Object.entries(options.extraParams ?? {})) url.searchParams.set(name, value);
  result.url = url.toString();
  return result;
}
