import { reveal, Secret } from '../secret.js';

/**
 * How the client authenticates at the token endpoint: `basic` = HTTP Basic with the form-encoded id and secret
 * (RFC 6749 §2.3.1, `client_secret_basic`), `body` = `client_id` and `client_secret` form fields
 * (`client_secret_post`), `none` = `client_id` only (public clients).
 */
export type ClientAuthentication = 'basic' | 'body' | 'none';

/** An OAuth 2.0 client's credentials. */
export interface OAuthClient {
  clientId: string;
  clientSecret?: string | Secret | undefined;
  /** @default 'basic' when there is a secret, else 'none' */
  authentication?: ClientAuthentication;
}

/** Adds the client's authentication to a token request's form and headers. */
export function applyClientAuthentication(
  client: OAuthClient,
  form: URLSearchParams,
  headers: Record<string, string>,
): void {
  const method = client.authentication ?? (client.clientSecret === undefined ? 'none' : 'basic');
  if (method === 'basic' && client.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    const user = encodeURIComponent(client.clientId).replace(/%20/g, '+');
    const pass = encodeURIComponent(reveal(client.clientSecret)).replace(/%20/g, '+');
    headers['authorization'] = `Basic ${btoa(`${user}:${pass}`)}`;
    return;
  }
  form.set('client_id', client.clientId);
  if (method === 'body' && client.clientSecret !== undefined)
    form.set('client_secret', reveal(client.clientSecret));
}

/** Wraps the client secret in a {@link Secret}, so the client object can be logged safely. */
export function protectClient(client: OAuthClient): OAuthClient {
  return client.clientSecret === undefined
    ? client
    : { ...client, clientSecret: Secret.from(client.clientSecret) };
}
