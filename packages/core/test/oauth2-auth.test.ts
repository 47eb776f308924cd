import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  CodeReusedError,
  ConfigError,
  createOAuth2Auth,
  isAuthError,
  type OAuth2AuthOptions,
} from '../src/index.js';
import { buildAuthorizationUrl } from '../src/oauth2/index.js';

const API = 'https://api.acme.test';
const AUTH = 'https://auth.acme.test';
const base: OAuth2AuthOptions = {
  baseUrl: API,
  authorizationEndpoint: `${AUTH}/authorize`,
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'cid',
  clientSecret: 'client-secret-5f2a9c',
  redirectUri: 'https://app.test/cb',
  retry: { retries: 0 },
};

function configIssues(run: () => unknown): Array<{ option: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

/** A token endpoint on nock that counts the codes it receives. */
function tokenEndpoint() {
  const codes: string[] = [];
  const scope = nock(AUTH)
    .post('/token')
    .times(5)
    .reply(async (request: Request) => {
      const form = new URLSearchParams(await request.text());
      codes.push(form.get('code') ?? '');
      return [200, { access_token: `at-${codes.length}`, token_type: 'bearer', expires_in: 3600 }];
    });
  return { codes, scope };
}

describe('createOAuth2Auth: a code is exchanged at most once', () => {
  it('a second handleCallback with the same code throws CodeReusedError and sends nothing', async () => {
    const { codes } = tokenEndpoint();
    const auth = createOAuth2Auth(base);
    const first = await auth.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' });
    expect(first.accessToken).toBe('at-1');
    const again = await auth
      .handleCallback(`https://app.test/cb?code=code-1&state=s`, { expectedState: 's' })
      .catch((error: unknown) => error);
    expect(again).toBeInstanceOf(CodeReusedError);
    expect(again).toMatchObject({ code: 'ERR_CODE_REUSED' });
    expect(isAuthError(again, 'ERR_CODE_REUSED')).toBe(true);
    expect(codes).toEqual(['code-1']);
    expect((await auth.peek())?.accessToken).toBe('at-1');
    // Another code is exchanged as usual.
    await auth.handleCallback({ code: 'code-2', state: 's' }, { expectedState: 's' });
    expect(codes).toEqual(['code-1', 'code-2']);
  });

  it('two concurrent callbacks with one code send it once', async () => {
    const { codes } = tokenEndpoint();
    const auth = createOAuth2Auth(base);
    const results = await Promise.allSettled([
      auth.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' }),
      auth.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(codes).toEqual(['code-1']);
  });

  it('a code whose exchange was answered (even with an error) is not sent again', async () => {
    nock(AUTH).post('/token').reply(400, { error: 'invalid_grant' });
    const auth = createOAuth2Auth(base);
    await expect(
      auth.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' }),
    ).rejects.toMatchObject({ name: 'TokenEndpointError' });
    const { codes } = tokenEndpoint();
    await expect(
      auth.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' }),
    ).rejects.toBeInstanceOf(CodeReusedError);
    expect(codes).toEqual([]);
  });

  it('a code whose request never left may be sent again; a state mismatch does not use the code up', async () => {
    let attempts = 0;
    const refused = (async () => {
      attempts++;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    }) as typeof fetch;
    const offline = createOAuth2Auth({ ...base, fetch: refused });
    await expect(
      offline.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' }),
    ).rejects.toMatchObject({ name: 'TransientError', requestMayHaveBeenProcessed: false });
    await expect(
      offline.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' }),
    ).rejects.toMatchObject({ name: 'TransientError' });
    expect(attempts).toBe(2);

    const { codes } = tokenEndpoint();
    const auth = createOAuth2Auth(base);
    await expect(
      auth.handleCallback({ code: 'code-1', state: 'forged' }, { expectedState: 's' }),
    ).rejects.toMatchObject({ name: 'StateMismatchError' });
    await auth.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' });
    expect(codes).toEqual(['code-1']);
  });
});

describe('extraParams cannot override reserved authorization parameters', () => {
  it.each([
    ['state', 'state'],
    ['redirect_uri', 'redirectUri'],
    ['code_challenge', 'pkce'],
    ['client_id', 'clientId'],
    ['response_type', 'responseType'],
    ['scope', 'scope'],
    ['code_challenge_method', 'pkce'],
  ])('extraParams.%s is a ConfigError pointing at %s', async (name, option) => {
    const auth = createOAuth2Auth(base);
    const error = await auth.authorizationUrl({ extraParams: { [name]: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        option: `extraParams.${name}`,
        message: `is reserved: the client sets ${name} itself (use the ${option} option)`,
      },
    ]);
  });

  it('buildAuthorizationUrl refuses them too, and keeps other extra parameters', async () => {
    await expect(
      buildAuthorizationUrl({
        authorizationEndpoint: `${AUTH}/authorize`,
        clientId: 'cid',
        redirectUri: 'https://app.test/cb',
        extraParams: { prompt: 'login', state: 'attacker' },
      }),
    ).rejects.toMatchObject({ name: 'ConfigError', issues: [{ option: 'extraParams.state' }] });
    const { url, state } = await buildAuthorizationUrl({
      authorizationEndpoint: `${AUTH}/authorize`,
      clientId: 'cid',
      redirectUri: 'https://app.test/cb',
      extraParams: { prompt: 'login' },
    });
    const params = new URL(url).searchParams;
    expect(params.get('prompt')).toBe('login');
    expect(params.get('state')).toBe(state);
  });
});

describe('createOAuth2Auth refuses options it would ignore', () => {
  it('an unknown option is a ConfigError naming it, with the option meant', () => {
    const issues = configIssues(() =>
      createOAuth2Auth({ ...base, tokenEndpointAuthMethod: 'client_secret_post' } as OAuth2AuthOptions),
    );
    expect(issues).toEqual([
      { option: 'tokenEndpointAuthMethod', message: 'is not an option (did you mean clientAuthentication?)' },
    ]);
  });

  it('suggests a close name, a differently cased one, and nothing when none is close', () => {
    const issues = configIssues(() =>
      createOAuth2Auth({
        ...base,
        clientSecrt: 'x',
        RedirectURI: 'https://app.test/cb',
        token_endpoint_auth_method: 'client_secret_basic',
        frobnicate: true,
      } as OAuth2AuthOptions),
    );
    expect(issues).toEqual([
      { option: 'clientSecrt', message: 'is not an option (did you mean clientSecret?)' },
      { option: 'RedirectURI', message: 'is not an option (did you mean redirectUri?)' },
      {
        option: 'token_endpoint_auth_method',
        message: 'is not an option (did you mean clientAuthentication?)',
      },
      { option: 'frobnicate', message: 'is not an option' },
    ]);
  });

  it('nothing is sent when an option is unknown', () => {
    const scope = nock(AUTH).post('/token').reply(200, {});
    expect(() =>
      createOAuth2Auth({ ...base, grant: 'client_credentials', scopes: 'read' } as OAuth2AuthOptions),
    ).toThrow('scopes: is not an option (did you mean scope?)');
    expect(scope.isDone()).toBe(false);
  });

  it('an http redirectUri is refused except on a loopback host', () => {
    expect(configIssues(() => createOAuth2Auth({ ...base, redirectUri: 'http://app.example/cb' }))).toEqual([
      {
        option: 'redirectUri',
        message: 'must use https: (got http://app.example); plain http is allowed only for loopback hosts',
      },
    ]);
    for (const redirectUri of ['http://localhost:3000', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb']) {
      expect(() => createOAuth2Auth({ ...base, redirectUri })).not.toThrow();
    }
  });
});

describe('onTokenResponse: the refresh token a refresh spent', () => {
  const refreshAnswer = {
    access_token: 'at-1',
    token_type: 'Bearer',
    expires_in: 3600,
    refresh_token: 'rt-1',
  };

  it('is passed as `previous`, with its known expiry, from the stored grant and from the configured seed', async () => {
    const seen: unknown[] = [];
    const make = (extra: Partial<OAuth2AuthOptions> = {}) =>
      createOAuth2Auth({
        ...base,
        ...extra,
        onTokenResponse: (_tokens, context) => {
          seen.push({ grant: context.grant, previous: context.previous });
          return undefined;
        },
      });
    const stored = make();
    await stored.setTokens({
      accessToken: 'at-0',
      tokenType: 'bearer',
      expiresAt: Date.now() - 1,
      refreshToken: 'rt-0',
      refreshExpiresAt: 2_000_000_000_000,
    });
    nock(AUTH).post('/token').once().reply(200, refreshAnswer);
    await stored.getToken();
    const seeded = make({ refreshToken: 'rt-seed', refreshTokenExpiresAt: 2_100_000_000_000 });
    nock(AUTH).post('/token').once().reply(200, refreshAnswer);
    await seeded.getToken();
    expect(seen).toEqual([
      { grant: 'refresh_token', previous: { refreshToken: 'rt-0', refreshExpiresAt: 2_000_000_000_000 } },
      { grant: 'refresh_token', previous: { refreshToken: 'rt-seed', refreshExpiresAt: 2_100_000_000_000 } },
    ]);
  });
});
