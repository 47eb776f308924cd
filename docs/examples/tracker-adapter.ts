import {
  type Auth,
  type Clock,
  createAuth,
  createTokenManager,
  Secret,
  type TokenSet,
  type TokenStore,
} from '@auth/core';
import { parseJsonBody, parseWith, sendTokenRequest, tokenEndpointError } from '@auth/core/adapter';
import * as z from 'zod/mini';

/** The login response: the token itself (`id`), its lifetime in seconds, and the user. No refresh token. */
const loginResponse = z.object({
  id: z.string().check(z.minLength(1)),
  ttl: z.int().check(z.positive()),
  userId: z.int(),
});
/** How the API words its errors: `{ error: { statusCode, name, message, code } }`. */
const apiErrorBody = z.object({
  error: z.object({ code: z.optional(z.string()), message: z.optional(z.string()) }),
});

export interface TrackerAuthOptions {
  username: string;
  password: string | Secret;
  /** @default 'https://api.tracker.example' */
  baseUrl?: string;
  store?: TokenStore;
  clock?: Clock;
}

/**
 * An adapter for an API whose only way to a token is a login (no refresh tokens): `acquire` logs in again, with
 * the credentials held in memory, whenever the token is due. `Authorization: <token>` (token type `raw`).
 */
export function createTrackerAuth(options: TrackerAuthOptions): Auth {
  const baseUrl = options.baseUrl ?? 'https://api.tracker.example';
  const password = Secret.from(options.password);

  async function login(): Promise<TokenSet> {
    const secrets = [password];
    const response = await sendTokenRequest(
      {
        url: `${baseUrl}/api/users/login`,
        body: { username: options.username, password: password.reveal() },
      },
      // The auth's clock (a test's fake one, too): expiry is computed from when the request left.
      { secrets, ...(options.clock ? { clock: options.clock } : {}) },
    );
    // A refused login becomes a TokenEndpointError (status, error code, scrubbed description).
    if (response.status !== 200) throw tokenEndpointError(response, secrets);
    // Not JSON (an HTML error page) or the wrong shape: a ResponseValidationError naming the field. (A login may
    // be replayed, so an unreadable body is not "outcome unknown" here, as `processTokenResponse` would make it.)
    const session = parseWith(loginResponse, parseJsonBody(response.text, 'login answer'), 'login answer');
    return {
      accessToken: session.id,
      tokenType: 'raw',
      issuedAt: response.requestedAt,
      expiresAt: response.requestedAt + session.ttl * 1000,
    };
  }

  return createAuth({
    baseUrl,
    ...(options.clock ? { clock: options.clock } : {}),
    // The refresh engine: one login at a time for every caller (and process, with a shared store).
    tokens: createTokenManager({
      storeKey: `tracker:${options.username}`, // one entry per account
      ...(options.store ? { store: options.store } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      // No refresh token: whenever a token is needed (none yet, due, or rejected by a 401), log in again.
      acquire: async () => login(),
    }),
    // Read the API's error body into ApiError's `type` and `message`.
    parseApiError: (body) => {
      const parsed = z.safeParse(apiErrorBody, body);
      return parsed.success
        ? { type: parsed.data.error.code, message: parsed.data.error.message }
        : undefined;
    },
  });
}
