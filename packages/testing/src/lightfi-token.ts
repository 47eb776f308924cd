import { randomUUID } from 'node:crypto';
import { epochSeconds } from './clock.js';
import { signRs256 } from './jwt.js';
import { authenticateClient } from './lightfi-client-auth.js';
import {
  cognitoError,
  type LightFiClient,
  type LightFiContext,
  type LightFiGrantType,
} from './lightfi-context.js';
import type { LightFiUser } from './lightfi-data.js';
import { pkceChallenge } from './pkce.js';
import { randomToken } from './random.js';
import { CONTENT_TYPE, type EmulatorRequest, empty, json, type Reply } from './reply.js';
import { formBody, stringField } from './request-body.js';
import type { TokenFamily } from './token-ledger.js';

const GRANT_TYPES: readonly string[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
] satisfies LightFiGrantType[];

/** An opaque refresh token shaped like Cognito's (a five-part JWE). */
function cognitoRefreshToken(): string {
  const header = Buffer.from(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' })).toString(
    'base64url',
  );
  return [header, randomToken(256), randomToken(12), randomToken(512), randomToken(16)].join('.');
}

interface IssueOptions {
  client: LightFiClient;
  family: TokenFamily;
  scopes: string[];
  user: LightFiUser | undefined;
  nonce: string | undefined;
  withRefreshToken: boolean;
}

/** Signs Cognito-shaped tokens, records them, and writes the token response in Cognito's field order. */
function issueTokens(context: LightFiContext, options: IssueOptions): Reply {
  const { client, family, scopes, user } = options;
  const iat = epochSeconds(context.clock);
  const exp = iat + client.accessTokenTtl;
  const originJti = String(family.data['originJti']);
  const common = {
    iss: context.authUrl,
    auth_time: Number(family.data['authTime']),
    exp,
    iat,
    origin_jti: originJti,
  };
  // A client-credentials token acts for the client itself: its subject is the client and it names no user.
  const accessToken = signRs256(
    {
      sub: user?.sub ?? client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      ...common,
      version: 2,
      jti: randomUUID(),
      client_id: client.clientId,
      ...(user === undefined ? {} : { username: user.username }),
    },
    context.signingKey,
  );
  context.ledger.issue(family, 'access', accessToken, client.accessTokenTtl * 1000);
  const body: Record<string, unknown> = {};
  if (user !== undefined && scopes.includes('openid')) {
    body['id_token'] = signRs256(
      {
        sub: user.sub,
        email_verified: true,
        ...common,
        'cognito:username': user.username,
        aud: client.clientId,
        token_use: 'id',
        jti: randomUUID(),
        email: user.email ?? `${user.username}@example.com`,
        ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
      },
      context.signingKey,
    );
  }
  body['access_token'] = accessToken;
  if (options.withRefreshToken) {
    const refreshToken = cognitoRefreshToken();
    // Anchored (the default): every refresh token of a sign-in expires when its first one does.
    const lifetimeMs =
      client.rotatedRefreshTokenLifetime === 'anchored'
        ? Math.max(1, family.createdAt + client.refreshTokenTtl * 1000 - context.clock.now())
        : client.refreshTokenTtl * 1000;
    context.ledger.issue(family, 'refresh', refreshToken, lifetimeMs);
    body['refresh_token'] = refreshToken;
  }
  body['expires_in'] = client.accessTokenTtl;
  body['token_type'] = 'Bearer';
  return json(200, body, {
    contentType: CONTENT_TYPE.jsonCharsetUpper,
    headers: { 'Cache-Control': 'no-store' },
  });
}

function exchangeCode(context: LightFiContext, form: URLSearchParams, client: LightFiClient): Reply {
  if (!client.allowedOAuthFlows.includes('code')) return cognitoError('unauthorized_client');
  const code = stringField(form, 'code');
  const redirectUri = stringField(form, 'redirect_uri');
  if (code === undefined || redirectUri === undefined) return cognitoError('invalid_request');
  const record = context.codes.get(code);
  if (
    record === undefined ||
    record.clientId !== client.clientId ||
    record.usedAt !== undefined ||
    context.clock.now() >= record.expiresAt ||
    record.redirectUri !== redirectUri
  ) {
    return cognitoError('invalid_grant');
  }
  if (record.codeChallenge !== undefined) {
    const verifier = stringField(form, 'code_verifier');
    if (verifier === undefined || pkceChallenge(verifier) !== record.codeChallenge)
      return cognitoError('invalid_grant');
  }
  record.usedAt = context.clock.now();
  const family = context.ledger.createFamily(record.user.sub, client.clientId, {
    scopes: record.scopes,
    username: record.user.username,
    nonce: record.nonce,
    originJti: randomUUID(),
    authTime: epochSeconds(context.clock),
  });
  return issueTokens(context, {
    client,
    family,
    scopes: record.scopes,
    user: record.user,
    nonce: record.nonce,
    withRefreshToken: true,
  });
}

function refresh(context: LightFiContext, form: URLSearchParams, client: LightFiClient): Reply {
  const refreshToken = stringField(form, 'refresh_token');
  if (refreshToken === undefined) return cognitoError('invalid_request');
  const lookup = context.ledger.lookup(refreshToken, 'refresh');
  if (lookup.status === 'unknown' || lookup.family.clientId !== client.clientId)
    return cognitoError('invalid_grant');
  if (lookup.status === 'used') {
    const spentAt = lookup.token.usedAt ?? 0;
    const inGrace =
      lookup.family.revokedAt === undefined &&
      context.clock.now() - spentAt <= client.rotationGracePeriodSeconds * 1000;
    if (!inGrace) {
      context.ledger.reportReuse(lookup.token, lookup.family, { revokeFamily: false });
      return cognitoError('invalid_grant');
    }
  } else if (lookup.status !== 'valid') {
    return cognitoError('invalid_grant');
  }
  if (client.rotateRefreshTokens && lookup.status === 'valid') context.ledger.markUsed(lookup.token);
  const username = lookup.family.data['username'];
  const user = context.users.find((candidate) => candidate.username === username);
  if (user === undefined) return cognitoError('invalid_grant');
  const scopes = lookup.family.data['scopes'];
  const nonce = lookup.family.data['nonce'];
  return issueTokens(context, {
    client,
    family: lookup.family,
    scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    user,
    nonce: typeof nonce === 'string' ? nonce : undefined,
    withRefreshToken: client.rotateRefreshTokens,
  });
}

function clientCredentials(context: LightFiContext, form: URLSearchParams, client: LightFiClient): Reply {
  if (client.clientSecret === undefined || !client.allowedOAuthFlows.includes('client_credentials')) {
    return cognitoError('unauthorized_client');
  }
  const requested = stringField(form, 'scope');
  const scopes = requested === undefined ? [...client.allowedScopes] : requested.split(/\s+/).filter(Boolean);
  if (scopes.some((scope) => !client.allowedScopes.includes(scope))) return cognitoError('invalid_scope');
  const family = context.ledger.createFamily(client.clientId, client.clientId, {
    scopes,
    originJti: randomUUID(),
    authTime: epochSeconds(context.clock),
  });
  return issueTokens(context, {
    client,
    family,
    scopes,
    user: undefined,
    nonce: undefined,
    withRefreshToken: false,
  });
}

/** `POST /oauth2/token`: the authorization_code, refresh_token and client_credentials grants. */
export function tokenEndpoint(context: LightFiContext, request: EmulatorRequest): Reply {
  const form = formBody(request);
  if (form === undefined) return cognitoError('invalid_request');
  const grantType = stringField(form, 'grant_type');
  if (grantType !== undefined && GRANT_TYPES.includes(grantType)) {
    context.ledger.countRequest(grantType as LightFiGrantType);
  }
  if (grantType === undefined) return cognitoError('invalid_request');
  const client = authenticateClient(context, request, form);
  if (client === undefined) return cognitoError('invalid_client');
  switch (grantType) {
    case 'authorization_code':
      return exchangeCode(context, form, client);
    case 'refresh_token':
      return refresh(context, form, client);
    case 'client_credentials':
      return clientCredentials(context, form, client);
    default:
      return cognitoError('unsupported_grant_type');
  }
}

/** `POST /oauth2/revoke`: revokes a refresh token and the access tokens issued with it. */
export function revokeEndpoint(context: LightFiContext, request: EmulatorRequest): Reply {
  const form = formBody(request);
  if (form === undefined) return cognitoError('invalid_request');
  const client = authenticateClient(context, request, form, true);
  // Cognito's revocation endpoint answers bad client credentials with 401, not the token endpoint's 400.
  if (client === undefined) return cognitoError('invalid_client', 401);
  const value = stringField(form, 'token');
  if (value === undefined) return cognitoError('invalid_request');
  const lookup = context.ledger.lookup(value, 'refresh');
  if (lookup.status === 'unknown') {
    // Cognito revokes refresh tokens only; an access token is refused, an unknown value ignored (RFC 7009 §2.2).
    return context.ledger.lookup(value, 'access').status === 'unknown'
      ? empty(200)
      : cognitoError('unsupported_token_type');
  }
  if (lookup.family.clientId !== client.clientId) return cognitoError('unauthorized_client');
  // Revoking a refresh token also revokes the access tokens issued with it: the whole family.
  context.ledger.revokeFamilyRecord(lookup.family, 'revoked-by-client');
  return empty(200);
}
