import { secretsEqual } from './constant-time.js';
import type { LightFiClient, LightFiContext } from './lightfi-context.js';
import type { EmulatorRequest } from './reply.js';
import { decodeFormComponent, stringField } from './request-body.js';

/** The id and secret of an `Authorization: Basic` header, each form-urlencoded first (RFC 6749 §2.3.1). */
function basicCredentials(header: string): { id: string; secret: string } | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const id = decodeFormComponent(decoded.slice(0, colon));
  const secret = decodeFormComponent(decoded.slice(colon + 1));
  return id === undefined || secret === undefined ? undefined : { id, secret };
}

/**
 * The client of a token request. The secret may come as HTTP Basic or as `client_secret` in the body, never both;
 * a client with a secret must send it, a public client must not.
 */
export function authenticateClient(
  context: LightFiContext,
  request: EmulatorRequest,
  form: URLSearchParams,
  basicOnly = false,
): LightFiClient | undefined {
  const header = request.headers['authorization'];
  const bodyId = stringField(form, 'client_id');
  const bodySecret = stringField(form, 'client_secret');
  if (header !== undefined) {
    const basic = basicCredentials(header);
    if (basic === undefined || bodySecret !== undefined) return undefined;
    if (bodyId !== undefined && bodyId !== basic.id) return undefined;
    const client = context.clients.get(basic.id);
    if (client?.clientSecret === undefined || !secretsEqual(client.clientSecret, basic.secret))
      return undefined;
    return client;
  }
  const client = bodyId === undefined ? undefined : context.clients.get(bodyId);
  if (client === undefined) return undefined;
  if (client.clientSecret === undefined) return bodySecret === undefined ? client : undefined;
  if (basicOnly || bodySecret === undefined || !secretsEqual(client.clientSecret, bodySecret))
    return undefined;
  return client;
}
