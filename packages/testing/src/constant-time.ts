import { timingSafeEqual } from 'node:crypto';

/** Compares two secrets in constant time, so the emulators do not teach tests to rely on an early exit. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
