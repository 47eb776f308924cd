import { createHmac, createSign, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';

/** The claims of a JSON Web Token. */
export type JwtClaims = Record<string, unknown>;

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Signs `claims` as an HS256 JWT, the format Lightbug's v2 tokens and Light's access tokens use. */
export function signHs256(claims: JwtClaims, secret: string): string {
  const input = `${encodeSegment({ alg: 'HS256', typ: 'JWT' })}.${encodeSegment(claims)}`;
  const signature = createHmac('sha256', secret).update(input).digest('base64url');
  return `${input}.${signature}`;
}

/** The header and claims of a JWT, without checking its signature (what LightFi's own Python client does). */
export function decodeJwt(token: string): { header: JwtClaims; claims: JwtClaims } | undefined {
  const [header, payload] = token.split('.');
  if (header === undefined || payload === undefined) return undefined;
  const decodedHeader = parseSegment(header);
  const claims = parseSegment(payload);
  return decodedHeader && claims ? { header: decodedHeader, claims } : undefined;
}

/** An RSA signing key with its key id and public JWK, as Cognito publishes at `/.well-known/jwks.json`. */
export interface RsaSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
}

let sharedKey: Promise<RsaSigningKey> | undefined;

/**
 * The process-wide RS256 key. Generating an RSA key costs tens of milliseconds, so every LightFi emulator in a
 * process shares one instead of paying that on each start.
 */
export function sharedRsaSigningKey(): Promise<RsaSigningKey> {
  sharedKey ??= new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error) {
        reject(error);
        return;
      }
      const jwk = publicKey.export({ format: 'jwk' });
      const kid = createHmac('sha256', 'kid')
        .update(jwk.n ?? '')
        .digest('base64url')
        .slice(0, 27);
      resolve({ kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } });
    });
  });
  return sharedKey;
}

/** Signs `claims` as an RS256 JWT with `key`, carrying its `kid` as Cognito's tokens do. */
export function signRs256(claims: JwtClaims, key: RsaSigningKey): string {
  const input = `${encodeSegment({ kid: key.kid, alg: 'RS256' })}.${encodeSegment(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}
