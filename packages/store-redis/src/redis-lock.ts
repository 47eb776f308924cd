import { randomBytes } from 'node:crypto';
import { ConfigError } from '@auth/core';
import {
  type Lease,
  LeaseLostError,
  LockTimeoutError,
  StoreUnavailableError,
  sleep,
} from '@auth/core/adapter';
import type { GrantKeys } from './keys.js';
import { EXTEND_SCRIPT, LOCK_SCRIPT, RELEASE_SCRIPT, type RedisScript } from './scripts.js';

/** What taking a lease needs from the store. */
export interface LeaseRequest {
  key: string;
  keys: GrantKeys;
  /** Lease length, ms (relative). */
  ttlMs: number;
  /** How long to wait for a held lock, ms. */
  waitMs: number;
  /** Average pause between attempts, ms. */
  pollMs: number;
  signal: AbortSignal | undefined;
  /** Runs a script with the store's timeout and error mapping. */
  run(script: RedisScript, keys: string[], args: string[]): Promise<unknown>;
}

function checkTtl(ttlMs: number): string {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ConfigError([{ option: 'ttlMs', message: 'must be a positive number of milliseconds' }]);
  }
  // PX takes whole milliseconds; rounding up never shortens a lease.
  return String(Math.ceil(ttlMs));
}

function parseReply(reply: unknown): { status: string; value: number } {
  if (Array.isArray(reply)) {
    const [status, value] = reply as unknown[];
    const text =
      typeof status === 'string'
        ? status
        : status instanceof Uint8Array
          ? Buffer.from(status).toString()
          : '';
    return { status: text, value: Number(value) };
  }
  throw new StoreUnavailableError('Redis answered the lock script with an unexpected reply');
}

/**
 * Takes the lease: `SET lock owner NX PX ttl` and, only when that succeeds, `INCR fence` for the fencing token, in
 * one script so a lease never goes without its token. While another client holds it, waits a random pause around
 * `pollMs` (never past the holder's remaining lease or the deadline) and tries again, up to `waitMs`.
 */
export async function acquireLease(request: LeaseRequest): Promise<Lease> {
  const ttl = checkTtl(request.ttlMs);
  const deadline = Date.now() + request.waitMs;
  // Random, and known only to this lease: release and extend compare it, so nobody else can end or stretch it.
  const owner = randomBytes(16).toString('hex');
  for (;;) {
    request.signal?.throwIfAborted();
    const reply = parseReply(
      await request.run(LOCK_SCRIPT, [request.keys.lock, request.keys.fence], [owner, ttl]),
    );
    if (reply.status === 'ok') return leaseFor(request, owner, reply.value);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new LockTimeoutError(request.key, request.waitMs);
    const pause = request.pollMs * (0.5 + Math.random());
    // PTTL is -1 for a lock without expiry (not one of ours) and -2 if it vanished meanwhile: poll as usual.
    const untilFree = reply.value > 0 ? reply.value + 1 : pause;
    await sleep(Math.max(1, Math.min(remaining, untilFree, pause)), request.signal);
  }
}

function leaseFor(request: LeaseRequest, owner: string, fencingToken: number): Lease {
  let released = false;
  return {
    key: request.key,
    fencingToken,
    release: async () => {
      if (released) return;
      await request.run(RELEASE_SCRIPT, [request.keys.lock], [owner]);
      released = true;
    },
    extend: async (ttlMs: number) => {
      const ttl = checkTtl(ttlMs);
      const reply = await request.run(EXTEND_SCRIPT, [request.keys.lock], [owner, ttl]);
      if (Number(reply) !== 1) throw new LeaseLostError(request.key);
    },
  };
}
