import { cognitoError, type LightFiContext } from './lightfi-context.js';
import { authorizePage, signIn } from './lightfi-sign-in.js';
import { revokeEndpoint, tokenEndpoint } from './lightfi-token.js';
import { type EmulatorRequest, json, type Reply, redirect } from './reply.js';
import { stringField } from './request-body.js';
import type { Router } from './router.js';

function logout(context: LightFiContext, request: EmulatorRequest): Reply {
  const clientId = stringField(request.query, 'client_id');
  const client = clientId === undefined ? undefined : context.clients.get(clientId);
  if (client === undefined) return cognitoError('invalid_request');
  const logoutUri = stringField(request.query, 'logout_uri');
  if (logoutUri === undefined || !client.signOutUrls.includes(logoutUri))
    return cognitoError('redirect_mismatch');
  return redirect(logoutUri);
}

/** Registers the Cognito domain's endpoints: authorize, the hosted sign-in, token, revoke, logout and JWKS. */
export function registerLightFiOAuthRoutes(router: Router, context: LightFiContext): void {
  router
    .add('GET', '/oauth2/authorize', (request) => authorizePage(context, request))
    .add('POST', '/login', (request) => signIn(context, request))
    .add('POST', '/oauth2/token', (request) => tokenEndpoint(context, request))
    .add('POST', '/oauth2/revoke', (request) => revokeEndpoint(context, request))
    .add('GET', '/logout', (request) => logout(context, request))
    .add('GET', '/.well-known/jwks.json', () => json(200, { keys: [context.signingKey.publicJwk] }));
}
