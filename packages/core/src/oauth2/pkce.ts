import { base64UrlEncode, randomBytes } from '../base64url.js';

/** A PKCE code verifier: 43 characters of base64url from 32 random bytes (RFC 7636 §4.1). */
export function generateCodeVerifier(): string {
  return base64UrlEncode(randomBytes(32));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)) (RFC 7636 §4.2). */
export async function computeCodeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}
