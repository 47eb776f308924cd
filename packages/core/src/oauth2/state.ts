import { base64UrlEncode, randomBytes } from '../base64url.js';

/** A fresh OAuth `state` value: 32 random bytes, base64url. */
export function generateState(): string {
  return base64UrlEncode(randomBytes(32));
}

/**
 * Compares two strings in time that depends only on their lengths, not on where they differ, so an attacker
 * cannot learn a secret value (a `state`) one character at a time.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  const length = Math.max(left.length, right.length);
  let diff = left.length ^ right.length;
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}
