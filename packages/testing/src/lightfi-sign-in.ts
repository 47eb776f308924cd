import { randomUUID } from 'node:crypto';
import { escapeHtml, renderPage } from './html-page.js';
import {
  cognitoError,
  type LightFiAuthorizationCode,
  type LightFiClient,
  type LightFiContext,
  type LightFiPendingSignIn,
} from './lightfi-context.js';
import { randomToken } from './random.js';
import { type EmulatorRequest, html, type Reply, redirect, withQuery } from './reply.js';
import { formBody, stringField } from './request-body.js';

/** Cognito's authorization codes live five minutes. */
const CODE_TTL_MS = 5 * 60 * 1000;
const SIGN_IN_TTL_MS = 60 * 60 * 1000;

type AuthorizeCheck =
  | {
      ok: true;
      client: LightFiClient;
      redirectUri: string;
      scopes: string[];
      codeChallenge: string | undefined;
    }
  | { ok: false; reply: Reply };

/** The checks of `GET /oauth2/authorize`, in Cognito's order: what cannot be redirected first. */
function checkAuthorize(context: LightFiContext, query: URLSearchParams): AuthorizeCheck {
  const clientId = stringField(query, 'client_id');
  const client = clientId === undefined ? undefined : context.clients.get(clientId);
  if (client === undefined) return { ok: false, reply: cognitoError('invalid_client') };
  const redirectUri = stringField(query, 'redirect_uri');
  if (redirectUri === undefined || !client.callbackUrls.includes(redirectUri)) {
    return { ok: false, reply: cognitoError('redirect_mismatch') };
  }
  const state = query.get('state') ?? undefined;
  const fail = (error: string): AuthorizeCheck => ({
    ok: false,
    reply: redirect(withQuery(redirectUri, { error, state })),
  });
  // Cognito: a missing response_type is a malformed request; one it does not support is unsupported_response_type.
  const responseType = stringField(query, 'response_type');
  if (responseType === undefined) return fail('invalid_request');
  if (responseType !== 'code') return fail('unsupported_response_type');
  if (!client.allowedOAuthFlows.includes('code')) return fail('unauthorized_client');
  const requested = stringField(query, 'scope');
  // Without `scope`, Cognito grants every scope the client is allowed.
  const scopes = requested === undefined ? [...client.allowedScopes] : requested.split(/\s+/).filter(Boolean);
  if (scopes.some((scope) => !client.allowedScopes.includes(scope))) return fail('invalid_scope');
  const codeChallenge = stringField(query, 'code_challenge');
  const method = stringField(query, 'code_challenge_method');
  // Cognito supports only S256, and only with a challenge.
  if (
    (codeChallenge !== undefined || method !== undefined) &&
    (method !== 'S256' || codeChallenge === undefined)
  ) {
    return fail('invalid_request');
  }
  return { ok: true, client, redirectUri, scopes, codeChallenge };
}

function mintCode(
  context: LightFiContext,
  request: Omit<LightFiAuthorizationCode, 'expiresAt' | 'usedAt'>,
): string {
  const code = randomUUID();
  context.codes.set(code, { ...request, expiresAt: context.clock.now() + CODE_TTL_MS, usedAt: undefined });
  return code;
}

/** The request of `emulator.authorize()`. */
export interface LightFiAuthorizeRequest {
  clientId: string;
  redirectUri: string;
  /** The S256 challenge, base64url(sha256(verifier)). */
  codeChallenge?: string | undefined;
  /**
   * The user who signs in.
   * @default the first seeded user
   */
  username?: string | undefined;
  /**
   * Space-separated scopes.
   * @default every scope the client is allowed
   */
  scope?: string | undefined;
  /** Echoed in the ID token. */
  nonce?: string | undefined;
}

/** What `emulator.authorize()` does: the checks of the authorize endpoint, then the code a sign-in would yield. */
export function authorizeLightFi(context: LightFiContext, request: LightFiAuthorizeRequest): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
  });
  if (request.scope !== undefined) query.set('scope', request.scope);
  if (request.codeChallenge !== undefined) {
    query.set('code_challenge', request.codeChallenge);
    query.set('code_challenge_method', 'S256');
  }
  const check = checkAuthorize(context, query);
  if (!check.ok) {
    const where = check.reply.headers['Location'] ?? check.reply.body;
    throw new Error(`LightFi authorize failed: ${where}`);
  }
  const user =
    request.username === undefined
      ? context.users[0]
      : context.users.find((candidate) => candidate.username === request.username);
  if (user === undefined)
    throw new Error(`LightFi authorize failed: unknown user '${request.username ?? ''}'`);
  return mintCode(context, {
    clientId: check.client.clientId,
    redirectUri: check.redirectUri,
    scopes: check.scopes,
    codeChallenge: check.codeChallenge,
    nonce: request.nonce,
    user,
  });
}

function signInPage(client: LightFiClient, signInId: string, error?: string): string {
  const errorBlock =
    error === undefined ? '' : `<div class="error" role="alert">${escapeHtml(error)}</div>\n`;
  return renderPage(
    `Sign in · ${client.name}`,
    `<div class="brand">${escapeHtml(client.name)}</div>
<h1>Sign in to your account</h1>
<p>Enter your LightFi username and password.</p>
${errorBlock}<form method="post" action="/login">
<input type="hidden" name="request" value="${escapeHtml(signInId)}">
<label for="username">Username</label>
<input id="username" type="text" name="username" autocomplete="username" autofocus required>
<label for="password">Password</label>
<input id="password" type="password" name="password" autocomplete="current-password" required>
<div class="actions">
<button type="submit" name="action" value="signin" class="primary">Sign in</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</div>
</form>`,
    { accent: '#0e7c66', accentText: '#ffffff' },
  );
}

/** `GET /oauth2/authorize`: the hosted sign-in page, or the error Cognito would give. */
export function authorizePage(context: LightFiContext, request: EmulatorRequest): Reply {
  const check = checkAuthorize(context, request.query);
  if (!check.ok) return check.reply;
  const signInId = randomToken(18);
  const pending: LightFiPendingSignIn = {
    clientId: check.client.clientId,
    redirectUri: check.redirectUri,
    scopes: check.scopes,
    state: request.query.get('state') ?? undefined,
    codeChallenge: check.codeChallenge,
    nonce: request.query.get('nonce') ?? undefined,
    expiresAt: context.clock.now() + SIGN_IN_TTL_MS,
  };
  context.signIns.set(signInId, pending);
  return html(200, signInPage(check.client, signInId));
}

/** `POST /login`: the sign-in form's answer, redirecting with a code or `access_denied`. */
export function signIn(context: LightFiContext, request: EmulatorRequest): Reply {
  const form = formBody(request) ?? new URLSearchParams();
  const signInId = stringField(form, 'request');
  const pending = signInId === undefined ? undefined : context.signIns.get(signInId);
  const client = pending && context.clients.get(pending.clientId);
  if (
    signInId === undefined ||
    pending === undefined ||
    client === undefined ||
    context.clock.now() >= pending.expiresAt
  ) {
    return cognitoError('invalid_request');
  }
  if (form.get('action') === 'cancel') {
    context.signIns.delete(signInId);
    return redirect(withQuery(pending.redirectUri, { error: 'access_denied', state: pending.state }));
  }
  const user = context.users.find(
    (candidate) => candidate.username === form.get('username') && candidate.password === form.get('password'),
  );
  if (user === undefined) return html(200, signInPage(client, signInId, 'Incorrect username or password.'));
  context.signIns.delete(signInId);
  const code = mintCode(context, {
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    scopes: pending.scopes,
    codeChallenge: pending.codeChallenge,
    nonce: pending.nonce,
    user,
  });
  return redirect(withQuery(pending.redirectUri, { code, state: pending.state }));
}
