import {
  type Auth,
  ConfigError,
  createAuth,
  createTokenManager,
  type Secret,
  type TokenSet,
  type TokenStore,
} from '@auth/core';
import { definedOnly, processTokenResponse, sendTokenRequest } from '@auth/core/adapter';
import * as z from 'zod/mini';

/** Acme's login response: a session token, its lifetime in seconds and a single-use renewal token. */
const acmeSession = z.object({
  session: z.string().check(z.minLength(1)),
  ttl: z.int().check(z.positive()),
  renewal: z.string().check(z.minLength(1)),
});

export interface AcmeAuthOptions {
  baseUrl?: string;
  store?: TokenStore;
  fetch?: typeof fetch;
}

export interface AcmeAuth extends Auth {
  login(username: string, password: string | Secret): Promise<TokenSet>;
}

/** An adapter for the imaginary Acme API: `Authorization: Session <token>`, JSON login and renewal. */
export function createAcmeAuth(options: AcmeAuthOptions = {}): AcmeAuth {
  const baseUrl = options.baseUrl ?? 'https://api.acme.example';
  const call = async (path: string, body: Record<string, unknown>, secrets: string[]): Promise<TokenSet> => {
    // Send the request, then validate its response into typed data.
    const response = await sendTokenRequest(
      { url: `${baseUrl}${path}`, body },
      { secrets, ...definedOnly({ fetch: options.fetch }) },
    );
    const session = processTokenResponse(response, { schema: acmeSession, what: 'Acme session', secrets });
    return {
      accessToken: session.session,
      tokenType: 'session',
      issuedAt: response.requestedAt,
      expiresAt: response.requestedAt + session.ttl * 1000,
      refreshToken: session.renewal,
    };
  };

  const auth = createAuth({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    tokens: createTokenManager({
      storeKey: 'acme:default',
      ...(options.store ? { store: options.store } : {}),
      // One request per refresh; single-flight, locking, persistence and 401 retries are core's.
      refresh: ({ tokens }) => call('/renew', { renewal: tokens.refreshToken }, [tokens.refreshToken]),
    }),
  });

  return {
    ...auth,
    async login(username, password) {
      const secret = typeof password === 'string' ? password : password.reveal();
      if (username.trim() === '')
        throw new ConfigError([{ option: 'username', message: 'must not be empty' }]);
      return auth.setTokens(await call('/login', { username, password: secret }, [secret]));
    },
  };
}
