import { epochSeconds } from './clock.js';
import { secretsEqual } from './constant-time.js';
import { escapeHtml, renderPage } from './html-page.js';
import { signHs256 } from './jwt.js';
import {
  type LightContext,
  type LightGrantType,
  lightError,
  lightErrorType,
  tokenError,
} from './light-context.js';
import { randomToken } from './random.js';
import { CONTENT_TYPE, type EmulatorRequest, html, json, type Reply, redirect, withQuery } from './reply.js';
import { formBody, mediaType, stringField } from './request-body.js';
import type { Router } from './router.js';
import type { TokenFamily } from './token-ledger.js';

const CONSENT_TTL_MS = 30 * 60 * 1000;
const GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token'] satisfies LightGrantType[];

/** Why an authorization request cannot go ahead, in Light's `{type, message}` shape. */
function checkAuthorizeRequest(
  context: LightContext,
  clientId: string | undefined,
  redirectUri: string | undefined,
): Reply | undefined {
  // Light names the parameters in camelCase in its messages, whatever the query spelled, and checks redirectUri
  // first: a request with no parameters at all answers the redirectUri message (Light's docs).
  if (redirectUri === undefined)
    return lightError(400, 'MISSING_PARAMETER', "Missing parameter 'redirectUri'");
  if (clientId === undefined) return lightError(400, 'MISSING_PARAMETER', "Missing parameter 'clientId'");
  const client = context.clients.get(clientId);
  // Light documents only its usual types for these: BAD_REQUEST, with a message saying what was wrong.
  if (client === undefined) return lightError(400, lightErrorType(400), `Unknown client '${clientId}'`);
  if (!client.redirectUris.includes(redirectUri)) {
    return lightError(
      400,
      lightErrorType(400),
      `Redirect URI '${redirectUri}' is not registered for this client`,
    );
  }
  return undefined;
}

/** Mints a code for an approved request. */
function mintCode(context: LightContext, clientId: string, redirectUri: string): string {
  const code = randomToken(24);
  context.codes.set(code, {
    clientId,
    redirectUri,
    userId: context.approvingUserId,
    expiresAt: context.clock.now() + context.codeTtlSeconds * 1000,
    usedAt: undefined,
    familyId: undefined,
  });
  return code;
}

/**
 * What `emulator.authorize()` does: the same checks as `GET /oauth/authorize`, then the code an approval would
 * carry back to the redirect URI.
 */
export function authorizeLight(
  context: LightContext,
  request: { clientId: string; redirectUri: string },
): string {
  const problem = checkAuthorizeRequest(
    context,
    request.clientId || undefined,
    request.redirectUri || undefined,
  );
  if (problem !== undefined) throw new Error(`Light authorize failed: ${problem.body}`);
  return mintCode(context, request.clientId, request.redirectUri);
}

function consentPage(context: LightContext, consentId: string, appName: string): string {
  const app = escapeHtml(appName);
  return renderPage(
    `Authorize ${appName} · Light`,
    `<div class="brand">Light</div>
<h1>Authorize ${app}</h1>
<p><strong>${app}</strong> is asking to access the Light account of <strong>${escapeHtml(context.company.name)}</strong>
on your behalf.</p>
<form method="post" action="/oauth/authorize/decision">
<input type="hidden" name="consent" value="${escapeHtml(consentId)}">
<div class="actions">
<button type="submit" name="decision" value="approve" class="primary">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
    { accent: '#111827', accentText: '#ffffff' },
  );
}

function authorizePage(context: LightContext, request: EmulatorRequest): Reply {
  const clientId = stringField(request.query, 'client_id');
  const redirectUri = stringField(request.query, 'redirect_uri');
  const problem = checkAuthorizeRequest(context, clientId, redirectUri);
  if (problem !== undefined || clientId === undefined || redirectUri === undefined)
    return problem ?? html(400, '');
  const consentId = randomToken(18);
  context.consents.set(consentId, {
    clientId,
    redirectUri,
    state: request.query.get('state') ?? undefined,
    expiresAt: context.clock.now() + CONSENT_TTL_MS,
  });
  return html(200, consentPage(context, consentId, context.clients.get(clientId)?.name ?? 'Light Test App'));
}

function decide(context: LightContext, request: EmulatorRequest): Reply {
  const form = formBody(request) ?? new URLSearchParams();
  const consentId = stringField(form, 'consent');
  const consent = consentId === undefined ? undefined : context.consents.get(consentId);
  if (consentId === undefined || consent === undefined || context.clock.now() >= consent.expiresAt) {
    return lightError(400, lightErrorType(400), 'Unknown or expired authorization request');
  }
  context.consents.delete(consentId);
  if (form.get('decision') !== 'approve') {
    return redirect(withQuery(consent.redirectUri, { error: 'access_denied', state: consent.state }));
  }
  const code = mintCode(context, consent.clientId, consent.redirectUri);
  return redirect(withQuery(consent.redirectUri, { code, state: consent.state }));
}

function issueTokens(context: LightContext, family: TokenFamily): Reply {
  const now = epochSeconds(context.clock);
  const ttl = context.accessTokenTtlSeconds;
  const accessToken = signHs256(
    {
      iss: context.url,
      sub: family.subject,
      client_id: family.clientId,
      iat: now,
      exp: now + ttl,
      jti: randomToken(12),
    },
    context.jwtSecret,
  );
  const refreshToken = randomToken(32);
  context.ledger.issue(family, 'access', accessToken, ttl * 1000);
  const refreshTtl = context.refreshTokenTtlSeconds;
  context.ledger.issue(
    family,
    'refresh',
    refreshToken,
    refreshTtl === undefined ? undefined : refreshTtl * 1000,
  );
  return json(
    200,
    { access_token: accessToken, expires_in: ttl, token_type: 'Bearer', refresh_token: refreshToken },
    {
      contentType: CONTENT_TYPE.jsonCharsetUpper,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    },
  );
}

function exchangeCode(context: LightContext, form: URLSearchParams, clientId: string): Reply {
  const code = stringField(form, 'code');
  const redirectUri = stringField(form, 'redirect_uri');
  if (code === undefined) return tokenError(context, 400, 'invalid_request', 'Missing parameter: code');
  if (redirectUri === undefined)
    return tokenError(context, 400, 'invalid_request', 'Missing parameter: redirect_uri');
  const record = context.codes.get(code);
  if (record === undefined || record.clientId !== clientId) {
    return tokenError(context, 400, 'invalid_grant', 'Invalid authorization code');
  }
  if (record.usedAt !== undefined) {
    // RFC 6749 §4.1.2: a code used twice may have been stolen, so what it bought is withdrawn.
    const family = record.familyId === undefined ? undefined : context.ledger.family(record.familyId);
    if (family !== undefined) context.ledger.revokeFamilyRecord(family, 'code-reuse');
    return tokenError(context, 400, 'invalid_grant', 'Authorization code has already been used');
  }
  if (context.clock.now() >= record.expiresAt)
    return tokenError(context, 400, 'invalid_grant', 'Authorization code expired');
  if (record.redirectUri !== redirectUri) {
    return tokenError(context, 400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  }
  record.usedAt = context.clock.now();
  const family = context.ledger.createFamily(record.userId, clientId);
  record.familyId = family.id;
  return issueTokens(context, family);
}

function refresh(context: LightContext, form: URLSearchParams, clientId: string): Reply {
  const refreshToken = stringField(form, 'refresh_token');
  if (refreshToken === undefined)
    return tokenError(context, 400, 'invalid_request', 'Missing parameter: refresh_token');
  const lookup = context.ledger.lookup(refreshToken, 'refresh');
  if (lookup.status === 'unknown' || lookup.family.clientId !== clientId) {
    return tokenError(context, 400, 'invalid_grant', 'Invalid refresh token');
  }
  switch (lookup.status) {
    case 'used':
      // OAuth 2.0 Security BCP §4.14: a rotated token coming back means two parties hold the grant.
      context.ledger.reportReuse(lookup.token, lookup.family);
      return tokenError(
        context,
        400,
        'invalid_grant',
        'Refresh token has already been used; the grant has been revoked',
      );
    case 'revoked':
      return tokenError(context, 400, 'invalid_grant', 'Refresh token has been revoked');
    case 'expired':
      return tokenError(context, 400, 'invalid_grant', 'Refresh token expired');
    case 'valid':
      context.ledger.markUsed(lookup.token);
      return issueTokens(context, lookup.family);
  }
}

function token(context: LightContext, request: EmulatorRequest): Reply {
  const form = formBody(request);
  if (form === undefined) {
    return tokenError(
      context,
      400,
      'invalid_request',
      `Content-Type must be application/x-www-form-urlencoded, got '${mediaType(request) || 'none'}'`,
    );
  }
  const grantType = stringField(form, 'grant_type');
  if (grantType !== undefined && GRANT_TYPES.includes(grantType)) {
    context.ledger.countRequest(grantType as LightGrantType);
  }
  const clientId = stringField(form, 'client_id');
  const clientSecret = stringField(form, 'client_secret');
  const client = clientId === undefined ? undefined : context.clients.get(clientId);
  if (
    client === undefined ||
    clientSecret === undefined ||
    !secretsEqual(client.clientSecret, clientSecret)
  ) {
    return tokenError(context, 401, 'invalid_client', 'Client authentication failed');
  }
  switch (grantType) {
    case undefined:
      return tokenError(context, 400, 'invalid_request', 'Missing parameter: grant_type');
    case 'authorization_code':
      return exchangeCode(context, form, client.clientId);
    case 'refresh_token':
      return refresh(context, form, client.clientId);
    default:
      return tokenError(context, 400, 'unsupported_grant_type', `Unsupported grant_type '${grantType}'`);
  }
}

/** Registers Light's OAuth 2.0 endpoints: the consent page, its decision, and the token endpoint. */
export function registerLightOAuthRoutes(router: Router, context: LightContext): void {
  router
    .add('GET', '/oauth/authorize', (request) => authorizePage(context, request))
    .add('POST', '/oauth/authorize/decision', (request) => decide(context, request))
    .add('POST', '/oauth/token', (request) => token(context, request));
}
