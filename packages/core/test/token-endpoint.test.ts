import { createHash } from 'node:crypto';
import fc from 'fast-check';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  processTokenResponse,
  sendTokenRequest,
  type TokenEndpointResponse,
  tokenEndpointError,
} from '../src/adapter.js';
import {
  AuthorizationDeniedError,
  ConfigError,
  createOAuth2Auth,
  isAuthError,
  RateLimitedError,
  ResponseValidationError,
  StateMismatchError,
  TokenEndpointError,
  TransientError,
} from '../src/index.js';
import {
  buildAuthorizationUrl,
  computeCodeChallenge,
  exchangeCode,
  parseTokenResponse,
  processOAuthTokenResponse,
  refreshGrant,
  revokeToken,
  timingSafeEqual,
  validateCallback,
} from '../src/oauth2/index.js';

const AUTH = 'https://auth.acme.test';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const client = { clientId: 'client id', clientSecret: 'sécret:1', authentication: 'basic' as const };

describe('parseTokenResponse', () => {
  it('normalises an RFC 6749 §5.1 body', () => {
    expect(
      parseTokenResponse(
        {
          access_token: 'at',
          token_type: 'Bearer',
          expires_in: '3600',
          refresh_token: 'rt',
          scope: 'a b',
          vendor_field: 7,
        },
        { requestedAt: T0 },
      ),
    ).toEqual({
      accessToken: 'at',
      tokenType: 'bearer',
      issuedAt: T0,
      expiresAt: T0 + 3_600_000,
      refreshToken: 'rt',
      scope: 'a b',
      extra: { vendor_field: 7 },
    });
  });

  it.each([
    [{ token_type: 'bearer' }, 'access_token'],
    [{ access_token: '', token_type: 'bearer' }, 'access_token'],
    [{ access_token: 'x', token_type: 'bearer', expires_in: -5 }, 'expires_in'],
    [{ access_token: 'x', token_type: 'bearer', expires_in: 1e300 }, 'expires_in'],
    [{ access_token: 'x', token_type: 'bearer', expires_in: 'soon' }, 'expires_in'],
    [{ access_token: 'x', token_type: 'bearer', refresh_token: 42 }, 'refresh_token'],
    [{ access_token: 'x' }, 'token_type'],
    ['<html>oops</html>', '(body)'],
    [null, '(body)'],
  ])('names the bad field of %j: %s', (body, path) => {
    const error = (() => {
      try {
        parseTokenResponse(body, { requestedAt: T0 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).path).toBe(path);
    expect((error as Error).message).toMatch(
      new RegExp(`^Invalid token response: ${path.replace(/[()]/g, '\\$&')}: `),
    );
  });

  it('property: any JSON body yields a TokenSet or an AuthError, never a TypeError', () => {
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string()),
      fc.object(),
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          access_token: field,
          token_type: field,
          expires_in: field,
          refresh_token: field,
          scope: field,
          id_token: field,
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(body, (value) => {
        try {
          const tokens = parseTokenResponse(value, { requestedAt: T0 });
          expect(typeof tokens.accessToken).toBe('string');
          expect(tokens.expiresAt === undefined || Number.isFinite(tokens.expiresAt)).toBe(true);
        } catch (error) {
          expect(isAuthError(error)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: malformed HTTP answers from a token endpoint are only AuthErrors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(200, 400, 401, 403, 429, 500, 503),
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.constant('<html><body>Bad gateway</body></html>'),
        ),
        async (status, text) => {
          nock(AUTH).post('/token').reply(status, text);
          try {
            await refreshGrant({
              tokenEndpoint: `${AUTH}/token`,
              client,
              refreshToken: 'rt',
              retry: { retries: 0 },
            });
          } catch (error) {
            expect(isAuthError(error)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('sendTokenRequest: safe retries only', () => {
  it('retries a connection refused before sending, then succeeds', async () => {
    let calls = 0;
    const fakeFetch = (async () => {
      calls++;
      if (calls < 3)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      return new Response(JSON.stringify({ access_token: 'at', token_type: 'bearer' }), { status: 200 });
    }) as typeof fetch;
    const tokens = await refreshGrant({
      tokenEndpoint: `${AUTH}/token`,
      client,
      refreshToken: 'rt',
      fetch: fakeFetch,
      retry: { baseDelayMs: 1 },
    });
    expect(tokens.accessToken).toBe('at');
    expect(calls).toBe(3);
  });

  it('never retries a refresh whose request may have reached the server (reset, 500)', async () => {
    let calls = 0;
    const reset = (async () => {
      calls++;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      });
    }) as typeof fetch;
    const error = await refreshGrant({
      tokenEndpoint: `${AUTH}/token`,
      client,
      refreshToken: 'rt',
      fetch: reset,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({
      requestMayHaveBeenProcessed: true,
      message: `Could not reach ${AUTH}/token`,
    });
    expect(calls).toBe(1);

    const scope = nock(AUTH).post('/token').reply(500, 'boom');
    await expect(
      exchangeCode({ tokenEndpoint: `${AUTH}/token`, client, code: 'c', redirectUri: 'https://app/cb' }),
    ).rejects.toMatchObject({
      name: 'TransientError',
      status: 500,
      requestMayHaveBeenProcessed: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('retries 429 and 503 that carry Retry-After (bounded), and gives up with RateLimitedError', async () => {
    nock(AUTH).post('/token').reply(429, '', { 'retry-after': '0' });
    nock(AUTH).post('/token').reply(503, '', { 'retry-after': '0' });
    nock(AUTH).post('/token').reply(200, { access_token: 'at', token_type: 'bearer' });
    expect(
      (await refreshGrant({ tokenEndpoint: `${AUTH}/token`, client, refreshToken: 'rt' })).accessToken,
    ).toBe('at');

    const three = nock(AUTH).post('/token').times(3).reply(429, '', { 'retry-after': '0' });
    await expect(
      refreshGrant({ tokenEndpoint: `${AUTH}/token`, client, refreshToken: 'rt' }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(three.isDone()).toBe(true);

    nock(AUTH).post('/token').reply(429, 'Too many login attempts', { 'retry-after': '3600' });
    const long = await refreshGrant({ tokenEndpoint: `${AUTH}/token`, client, refreshToken: 'rt' }).catch(
      (e: unknown) => e,
    );
    expect((long as Error).message).toBe(
      `${AUTH}/token is rate limiting requests: Too many login attempts; retry after 3600000 ms`,
    );
    expect(long).toMatchObject({ name: 'RateLimitedError', retryAfterMs: 3_600_000 });
  });

  it('maps a §5.2 error and scrubs an echoed secret from the description', async () => {
    nock(AUTH)
      .post('/token')
      .reply(400, { error: 'invalid_grant', error_description: 'refresh token rt-secret-value is revoked' });
    const error = await refreshGrant({
      tokenEndpoint: `${AUTH}/token`,
      client,
      refreshToken: 'rt-secret-value',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      error: 'invalid_grant',
      status: 400,
      errorDescription: 'refresh token [redacted] is revoked',
      message: 'Token endpoint answered 400 invalid_grant: refresh token [redacted] is revoked',
    });
  });

  it('sends JSON bodies for vendor endpoints', async () => {
    nock(AUTH)
      .post('/login', { username: 'u' })
      .matchHeader('content-type', 'application/json')
      .reply(200, { ok: 1 });
    const answer = await sendTokenRequest({ url: `${AUTH}/login`, body: { username: 'u' } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ ok: 1 });
  });
});

describe('sendTokenRequest, then processTokenResponse', () => {
  const schema = z.object({ token: z.string(), ttl: z.number() });
  const request = { url: `${AUTH}/login`, body: { username: 'u', password: 'pw-0123456789' } };
  const options = { schema, what: 'Acme login response', secrets: ['pw-0123456789'] };
  const requestAndProcess = async (
    processOptions: Parameters<typeof processTokenResponse<typeof schema>>[1],
  ) => {
    const response = await sendTokenRequest(request, { secrets: processOptions.secrets ?? [] });
    return { data: processTokenResponse(response, processOptions), response };
  };

  it('sends once and validates a 2xx response into typed data', async () => {
    const scope = nock(AUTH).post('/login').reply(200, { token: 't-1', ttl: 60, extra: true });
    const { data, response } = await requestAndProcess(options);
    expect(data).toEqual({ token: 't-1', ttl: 60 });
    expect(response.status).toBe(200);
    expect(scope.isDone()).toBe(true);
  });

  it('a wrong shape names the field; a cut-off body is outcome unknown; a refusal is the given error', async () => {
    nock(AUTH).post('/login').reply(200, { token: 't-1', ttl: '60' });
    await expect(requestAndProcess(options)).rejects.toMatchObject({
      name: 'ResponseValidationError',
      path: 'ttl',
    });
    nock(AUTH).post('/login').reply(200, '<html>');
    await expect(requestAndProcess(options)).rejects.toMatchObject({
      name: 'TransientError',
      requestMayHaveBeenProcessed: true,
    });
    nock(AUTH).post('/login').reply(401, { error: 'invalid_client', error_description: 'bad pw-0123456789' });
    const refused = await requestAndProcess(options).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_client', status: 401 });
    expect((refused as Error).message).not.toContain('pw-0123456789');
    nock(AUTH).post('/login').reply(403, 'no');
    await expect(
      requestAndProcess({
        ...options,
        error: (response) => new Error(`vendor said ${response.status}`),
      }),
    ).rejects.toThrow('vendor said 403');
  });
});

describe('processOAuthTokenResponse', () => {
  const secret = 'rt-secret-0123456789';
  const response = (status: number, text: string): TokenEndpointResponse => ({
    status,
    headers: new Headers({ 'content-type': 'application/json' }),
    text,
    requestedAt: T0,
    receivedAt: T0 + 50,
  });
  const caught = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    throw new Error('expected processOAuthTokenResponse to throw');
  };

  it('2xx: the body as a TokenSet, expires_in counted from requestedAt', () => {
    const body = { access_token: 'at', token_type: 'Bearer', expires_in: '60', refresh_token: 'rt', x: 1 };
    expect(processOAuthTokenResponse(response(200, JSON.stringify(body)), { secrets: [secret] })).toEqual({
      accessToken: 'at',
      tokenType: 'bearer',
      issuedAt: T0,
      expiresAt: T0 + 60_000,
      refreshToken: 'rt',
      extra: { x: 1 },
    });
    expect(
      processOAuthTokenResponse(response(201, '{"access_token":"at"}'), {
        defaultTokenType: 'Bearer',
        defaultExpiresInSeconds: 10,
      }),
    ).toEqual({ accessToken: 'at', tokenType: 'bearer', issuedAt: T0, expiresAt: T0 + 10_000 });
  });

  it('4xx: TokenEndpointError with the error and a scrubbed description', () => {
    const error = caught(() =>
      processOAuthTokenResponse(
        response(400, JSON.stringify({ error: 'invalid_grant', error_description: `${secret} is revoked` })),
        { secrets: [secret] },
      ),
    );
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      error: 'invalid_grant',
      errorDescription: '[redacted] is revoked',
      status: 400,
      message: 'Token endpoint answered 400 invalid_grant: [redacted] is revoked',
    });
    expect(caught(() => processOAuthTokenResponse(response(401, 'nope')))).toMatchObject({
      name: 'TokenEndpointError',
      error: 'http_401',
      status: 401,
    });
  });

  it.each([
    ['cut off', '{"access_token":"at-1","token_type":"bearer","refresh_'],
    ['HTML', '<html><body>Bad gateway</body></html>'],
    ['empty', ''],
  ])('%s 2xx: TransientError with requestMayHaveBeenProcessed, naming the status', (_kind, text) => {
    const error = caught(() => processOAuthTokenResponse(response(200, text), { secrets: [secret] }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ requestMayHaveBeenProcessed: true, status: 200 });
    expect((error as Error).message).toBe(
      'The token response (status 200) could not be read: the request may have been processed',
    );
  });

  it('a 2xx body of the wrong shape: ResponseValidationError naming the field', () => {
    const error = caught(() =>
      processOAuthTokenResponse(
        response(200, '{"access_token":"at","token_type":"bearer","expires_in":-1}'),
        {
          what: 'Acme token response',
        },
      ),
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ path: 'expires_in' });
    expect((error as Error).message).toBe('Invalid Acme token response: expires_in: must not be negative');
  });
});

describe('tokenEndpointError', () => {
  it('cuts server text once, after scrubbing: a long description or code is shortened, an echoed secret is gone', () => {
    const secret = 'rt-secret-0123456789';
    const error = tokenEndpointError(
      {
        status: 400,
        headers: new Headers(),
        text: JSON.stringify({
          error: `invalid_grant${'x'.repeat(500)}`,
          error_description: `${'d'.repeat(295)}${secret}`,
        }),
        requestedAt: 0,
        receivedAt: 0,
      },
      [secret],
    );
    expect(error.errorDescription).toBe(`${'d'.repeat(295)}[reda…`);
    expect(error.error).toBe(`invalid_grant${'x'.repeat(87)}…`);
    expect(error.message).not.toContain('rt-secret');
  });
});

describe('OAuth 2.0 primitives', () => {
  it('builds an authorization URL with state and a verifiable PKCE S256 pair', async () => {
    const request = await buildAuthorizationUrl({
      authorizationEndpoint: `${AUTH}/authorize`,
      clientId: 'cid',
      redirectUri: 'https://app.test/cb',
      scope: 'openid email',
      pkce: true,
    });
    const url = new URL(request.url);
    expect([...url.searchParams.keys()]).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]);
    expect(url.searchParams.get('state')).toBe(request.state);
    expect(request.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).toBe(
      await computeCodeChallenge(request.codeVerifier as string),
    );
    // Checked against Node's own SHA-256 as an independent oracle.
    const oracle = createHash('sha256')
      .update(request.codeVerifier as string)
      .digest('base64url');
    expect(url.searchParams.get('code_challenge')).toBe(oracle);
  });

  it('leaves response_type out when asked (Light documents none)', async () => {
    const { url } = await buildAuthorizationUrl({
      authorizationEndpoint: `${AUTH}/a`,
      clientId: 'c',
      redirectUri: 'https://r/',
      responseType: null,
    });
    expect(new URL(url).searchParams.has('response_type')).toBe(false);
  });

  it('checks the callback: state first, then error, then code', () => {
    expect(validateCallback('https://app/cb?code=abc&state=s1', 's1')).toBe('abc');
    expect(() => validateCallback('https://app/cb?code=abc&state=s2', 's1')).toThrow(StateMismatchError);
    expect(() => validateCallback('https://app/cb?code=abc', 's1')).toThrow(
      new StateMismatchError('The callback has no state parameter'),
    );
    expect(() => validateCallback({ error: 'access_denied', state: 'evil' }, 's1')).toThrow(
      StateMismatchError,
    );
    expect(() =>
      validateCallback({ error: 'access_denied', error_description: 'User said no', state: 's1' }, 's1'),
    ).toThrow(new AuthorizationDeniedError('access_denied', 'User said no'));
    expect(() => validateCallback('?state=s1', 's1')).toThrow(ConfigError);
    expect(() => validateCallback('?state=s1&code=x', '')).toThrow(ConfigError);
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
  });

  it('authenticates the client with HTTP Basic (form-encoded id and secret) or in the body', async () => {
    const seen: Array<{ auth: string | null; body: string }> = [];
    nock(AUTH)
      .post('/token')
      .times(2)
      .reply(async (req: Request) => {
        seen.push({ auth: req.headers.get('authorization'), body: await req.text() });
        return [200, { access_token: 'at', token_type: 'bearer' }];
      });
    await exchangeCode({
      tokenEndpoint: `${AUTH}/token`,
      client,
      code: 'the-code',
      redirectUri: 'https://app/cb',
      codeVerifier: 'v',
    });
    await exchangeCode({
      tokenEndpoint: `${AUTH}/token`,
      client: { ...client, authentication: 'body' },
      code: 'c2',
      redirectUri: 'https://app/cb',
    });
    expect(seen).toEqual([
      {
        auth: `Basic ${btoa('client+id:s%C3%A9cret%3A1')}`,
        body: 'grant_type=authorization_code&code=the-code&redirect_uri=https%3A%2F%2Fapp%2Fcb&code_verifier=v',
      },
      {
        auth: null,
        body: 'grant_type=authorization_code&code=c2&redirect_uri=https%3A%2F%2Fapp%2Fcb&client_id=client+id&client_secret=s%C3%A9cret%3A1',
      },
    ]);
  });

  it('revokes a token (RFC 7009)', async () => {
    const scope = nock(AUTH).post('/revoke', 'token=rt&token_type_hint=refresh_token').reply(200, '');
    await revokeToken({
      revocationEndpoint: `${AUTH}/revoke`,
      client,
      token: 'rt',
      tokenTypeHint: 'refresh_token',
    });
    expect(scope.isDone()).toBe(true);
  });
});

describe('createOAuth2Auth', () => {
  it('runs the code flow: state mismatch sends nothing, a good callback exchanges and stores', async () => {
    const auth = createOAuth2Auth({
      baseUrl: 'https://api.acme.test',
      authorizationEndpoint: `${AUTH}/authorize`,
      tokenEndpoint: `${AUTH}/token`,
      revocationEndpoint: `${AUTH}/revoke`,
      clientId: 'cid',
      clientSecret: 'csecret',
      redirectUri: 'https://app.test/cb',
    });
    const { state, codeVerifier } = await auth.authorizationUrl();
    await expect(
      auth.handleCallback(`https://app.test/cb?code=c&state=wrong`, { expectedState: state, codeVerifier }),
    ).rejects.toBeInstanceOf(StateMismatchError);
    const scope = nock(AUTH)
      .post(
        '/token',
        (body: Record<string, string>) => body['code'] === 'c' && body['code_verifier'] === codeVerifier,
      )
      .reply(200, { access_token: 'at', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt' });
    const tokens = await auth.handleCallback(`https://app.test/cb?code=c&state=${state}`, {
      expectedState: state,
      codeVerifier,
    });
    expect(scope.isDone()).toBe(true);
    expect(tokens).toMatchObject({ accessToken: 'at', refreshToken: 'rt', tokenType: 'bearer' });
    expect(await auth.peek()).toEqual(tokens);
    nock(AUTH).post('/revoke', 'token=rt&token_type_hint=refresh_token').reply(200, '');
    await auth.revoke();
    expect(await auth.peek()).toBeUndefined();
  });

  it('revokes with its own client authentication when the revocation endpoint wants another', async () => {
    const auth = createOAuth2Auth({
      baseUrl: 'https://api.acme.test',
      tokenEndpoint: `${AUTH}/token`,
      revocationEndpoint: `${AUTH}/revoke`,
      clientId: 'cid',
      clientSecret: 'csecret',
      clientAuthentication: 'body',
      revocationClientAuthentication: 'basic',
    });
    await auth.setTokens({ accessToken: 'at', tokenType: 'bearer', refreshToken: 'rt' });
    const seen: Array<{ auth: string | null; body: string }> = [];
    nock(AUTH)
      .post('/revoke')
      .reply(async (req: Request) => {
        seen.push({ auth: req.headers.get('authorization'), body: await req.text() });
        return [200, ''];
      });
    await auth.revoke();
    expect(seen).toEqual([
      { auth: `Basic ${btoa('cid:csecret')}`, body: 'token=rt&token_type_hint=refresh_token' },
    ]);
    expect(await auth.peek()).toBeUndefined();
  });

  it('client credentials: acquires without a user, once for concurrent callers', async () => {
    const scope = nock(AUTH)
      .post('/token', 'grant_type=client_credentials&scope=read')
      .once()
      .reply(200, { access_token: 'cc', token_type: 'bearer', expires_in: 3600 });
    const auth = createOAuth2Auth({
      baseUrl: 'https://api.acme.test',
      tokenEndpoint: `${AUTH}/token`,
      clientId: 'cid',
      clientSecret: 's',
      grant: 'client_credentials',
      scope: 'read',
    });
    const all = await Promise.all(Array.from({ length: 20 }, () => auth.getToken()));
    expect(all.every((t) => t.accessToken === 'cc')).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  describe('parseTokenError: a vendor whose token endpoint does not answer {error}', () => {
    const acmeError = (body: unknown) => {
      if (typeof body !== 'object' || body === null || !('code' in body)) return undefined;
      const { code, detail } = body as { code: unknown; detail: unknown };
      if (code === 'TOKEN_REUSED') return { error: 'invalid_grant', errorDescription: String(detail) };
      return { error: String(code), errorDescription: String(detail) };
    };
    const make = (parseTokenError = acmeError) =>
      createOAuth2Auth({
        baseUrl: 'https://api.acme.test',
        tokenEndpoint: `${AUTH}/token`,
        revocationEndpoint: `${AUTH}/revoke`,
        clientId: 'cid',
        clientSecret: 'csecret',
        parseTokenError,
      });
    const expired = {
      accessToken: 'at',
      tokenType: 'bearer',
      expiresAt: Date.now() - 60_000,
      refreshToken: 'rt-old-123456',
    };

    it("maps the vendor's reused-token error to invalid_grant: the grant is cleared, ReauthRequiredError", async () => {
      const auth = make();
      await auth.setTokens(expired);
      const scope = nock(AUTH)
        .post('/token', 'grant_type=refresh_token&refresh_token=rt-old-123456')
        .once()
        .reply(400, { code: 'TOKEN_REUSED', detail: 'refresh token rt-old-123456 was used before' });
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(scope.isDone()).toBe(true);
      expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
      expect((error as { reason: string }).reason).toBe('invalid_grant');
      const cause = (error as Error).cause as TokenEndpointError;
      expect(cause).toBeInstanceOf(TokenEndpointError);
      expect(cause.error).toBe('invalid_grant');
      // The vendor's text is scrubbed like any server text.
      expect(cause.errorDescription).toBe('refresh token [redacted] was used before');
      expect(await auth.peek()).toBeUndefined();
    });

    it('keeps any other vendor code as the error and the grant in place', async () => {
      const auth = make();
      await auth.setTokens(expired);
      nock(AUTH).post('/token').once().reply(401, { code: 'CLIENT_SUSPENDED', detail: 'contact support' });
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({
        error: 'CLIENT_SUSPENDED',
        errorDescription: 'contact support',
        status: 401,
      });
      expect((error as Error).message).toBe('Token endpoint answered 401 CLIENT_SUSPENDED: contact support');
      expect((await auth.peek())?.refreshToken).toBe('rt-old-123456');
    });

    it('falls back on the OAuth reading when the parser has none, throws, or answers no code', async () => {
      for (const parser of [
        () => undefined,
        () => {
          throw new Error('parser bug');
        },
        () => ({ error: ' ' }),
      ]) {
        const auth = make(parser as never);
        await auth.setTokens(expired);
        nock(AUTH).post('/token').once().reply(400, { error: 'invalid_grant' });
        const error = await auth.getToken().catch((e: unknown) => e);
        expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
      }
    });

    it('reads revocation errors the same way', async () => {
      const auth = make();
      await auth.setTokens(expired);
      nock(AUTH).post('/revoke').once().reply(400, { code: 'TOKEN_REUSED', detail: 'gone' });
      // An already-invalid token counts as revoked: the grant is cleared.
      await auth.revoke();
      expect(await auth.peek()).toBeUndefined();
      await auth.setTokens(expired);
      nock(AUTH).post('/revoke').once().reply(400, { code: 'RATE_PLAN', detail: 'upgrade' });
      await expect(auth.revoke()).rejects.toMatchObject({ name: 'TokenEndpointError', error: 'RATE_PLAN' });
      expect(await auth.peek()).toBeDefined();
    });
  });

  it('refreshTokenExpiresAt: kept with a non-rotated seed, an expired seed fails without a request, checked', async () => {
    const base = {
      baseUrl: 'https://api.acme.test',
      tokenEndpoint: `${AUTH}/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      refreshToken: 'seed-rt-0123',
    };
    const now = Date.now();
    const auth = createOAuth2Auth({ ...base, refreshTokenExpiresAt: now + 86_400_000 });
    nock(AUTH)
      .post('/token', 'grant_type=refresh_token&refresh_token=seed-rt-0123')
      .once()
      .reply(200, { access_token: 'at', token_type: 'Bearer', expires_in: 300 });
    await auth.getToken();
    expect(await auth.peek()).toMatchObject({
      refreshToken: 'seed-rt-0123',
      refreshExpiresAt: now + 86_400_000,
    });

    const expiredSeed = createOAuth2Auth({ ...base, refreshTokenExpiresAt: now - 1 });
    await expect(expiredSeed.getToken()).rejects.toMatchObject({
      name: 'ReauthRequiredError',
      reason: 'refresh_token_expired',
    });
    expect(nock.pendingMocks()).toEqual([]);

    expect(() => createOAuth2Auth({ ...base, refreshTokenExpiresAt: Number.NaN })).toThrow(
      new ConfigError([{ option: 'refreshTokenExpiresAt', message: 'must be a finite number (epoch ms)' }]),
    );
    const { refreshToken: _seed, ...noSeed } = base;
    expect(() => createOAuth2Auth({ ...noSeed, refreshTokenExpiresAt: now })).toThrow(
      new ConfigError([{ option: 'refreshTokenExpiresAt', message: 'is only meaningful with refreshToken' }]),
    );
  });

  it('names every bad option', () => {
    expect(() =>
      createOAuth2Auth({
        baseUrl: 'https://api.acme.test',
        tokenEndpoint: 'http://auth.acme.test/token',
        clientId: '',
        clientAuthentication: 'basic',
        redirectUri: 'nope',
      }),
    ).toThrow(
      new ConfigError([
        {
          option: 'tokenEndpoint',
          message:
            'must use https: (got http://auth.acme.test); plain http is allowed only for loopback hosts',
        },
        { option: 'clientId', message: 'must be a non-empty string' },
        { option: 'clientSecret', message: "is required for clientAuthentication 'basic'" },
        { option: 'redirectUri', message: 'must be an absolute URL' },
      ]),
    );
  });
});
