import { type Auth, type Clock, createAuth, Secret, type TokenSet, type TokenStore } from '@auth/core';
import { parseJsonBody, parseWith, sendTokenRequest, tokenEndpointError } from '@auth/core/adapter';
import { z } from 'zod';

/** The login answer: the token itself (`id`), its lifetime in seconds, and the user. No refresh token. */
const loginAnswer = z.object({
  id: z.string().min(1),
  ttl: z.number().int().positive(),
  userId: z.number().int(),
});
/** How the API words its errors: `{ error: { statusCode, name, message, code } }`. */
const apiErrorBody = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
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
    const answer = await sendTokenRequest(
      {
        url: `${baseUrl}/api/users/login`,
        body: { username: options.username, password: password.reveal() },
      },
      // The auth's clock (a test's fake one, too): expiry is computed from when the request left.
      { secrets, ...(options.clock ? { clock: options.clock } : {}) },
    );
    // A refused login becomes a TokenEndpointError (status, error code, scrubbed description).
    if (answer.status !== 200) throw tokenEndpointError(answer, secrets);
    // Not JSON (an HTML error page) or the wrong shape: a ResponseValidationError naming the field.
    const session = parseWith(loginAnswer, parseJsonBody(answer.text, 'login answer'), 'login answer');
    return {
      accessToken: session.id,
      tokenType: 'raw',
      issuedAt: answer.requestedAt,
      expiresAt: answer.requestedAt + session.ttl * 1000,
    };
  }

  return createAuth({
    baseUrl,
    storeKey: `tracker:${options.username}`, // one entry per account
    ...(options.store ? { store: options.store } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    // No refresh token: whenever a token is needed (none yet, due, or rejected by a 401), log in again.
    acquire: async () => login(),
    // Read the API's error body into ApiError's `type` and `message`.
    parseApiError: (body) => {
      const parsed = apiErrorBody.safeParse(body);
      return parsed.success
        ? { type: parsed.data.error.code, message: parsed.data.error.message }
        : undefined;
    },
  });
}
