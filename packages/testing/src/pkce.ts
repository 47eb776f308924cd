import { createHash } from 'node:crypto';

/**
 * The S256 PKCE challenge of `verifier`: base64url(sha256(verifier)) with no padding (RFC 7636 §4.2). The LightFi
 * emulator checks `code_verifier` against it; tests use it to build authorize requests.
 */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
