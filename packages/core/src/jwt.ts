import { base64UrlDecode } from './base64url.js';

/**
 * Decodes a JWT's payload WITHOUT verifying it. For reading claims such as `exp` from a token the SDK merely
 * carries (the API, not the SDK, is its audience). Returns `undefined` for anything that is not a JWT.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return undefined;
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(base64UrlDecode(parts[1])));
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT's `exp` claim as epoch milliseconds (server time), or `undefined`. Unverified, like {@link decodeJwtPayload}. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = decodeJwtPayload(token)?.['exp'];
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
}
