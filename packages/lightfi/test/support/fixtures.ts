import { createHash } from 'node:crypto';
import type { AuthEventMap } from '@auth/core';
import type { LightFiAuth } from '../../src/index.js';

/** LightFi's real hosts: nock stands in for them in unit tests. */
export const AUTH = 'https://lightfiv2.auth.eu-west-2.amazoncognito.com';
export const API = 'https://apiv2.lightfi.io';

export const CLIENT_ID = '4abc7example0client1id2lightfi';
export const CLIENT_SECRET = 'lightfi-unit-test-client-secret-0123456789';

export const START = Date.parse('2026-01-05T00:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A clock the test moves by hand. */
export class FakeClock {
  #now: number;
  constructor(start = START) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** base64url(SHA-256(verifier)), computed independently of the code under test. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The form fields of a nock-received request body. */
export async function formOf(request: Request): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams(await request.text()));
}

/** Collects the `warning` events of an auth. */
export function collectWarnings(auth: LightFiAuth): Array<AuthEventMap['warning']> {
  const warnings: Array<AuthEventMap['warning']> = [];
  auth.on('warning', (event) => {
    warnings.push(event);
  });
  return warnings;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** The error a function throws (fails the test when it returns). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the function to throw');
}
