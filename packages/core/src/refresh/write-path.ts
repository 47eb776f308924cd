import { sleep } from '../clock.js';
import { isVersionConflictError, LeaseLostError } from '../errors.js';
import type { TokensOrigin } from '../events.js';
import type { TokenSet } from '../token-set.js';
import type { StoredTokens } from '../token-store.js';
import type { GrantState } from './grant-state.js';
import type { LeaseKeeper } from './lease-keeper.js';

/** The longest pause between two background writes of unsaved tokens, in milliseconds. */
const MAX_BACKGROUND_DELAY_MS = 1_000;
/** How long unsaved tokens are still written in the background after their lease was lost, in milliseconds. */
const LOST_LEASE_WRITE_MS = 60_000;

/** How one write attempt ended. */
type Attempt =
  | { kind: 'stored'; tokens: TokenSet }
  | { kind: 'superseded'; tokens: TokenSet }
  | { kind: 'fenced' }
  | { kind: 'retry'; error: unknown };

/**
 * One compare-and-set write of `tokens`, fenced by the lease when there is one. A lost race to a newer, valid stored
 * entry adopts that entry (it wins); a lost race to a stale one moves `baseVersion` on for the next attempt.
 */
async function attempt(
  state: GrantState,
  tokens: TokenSet,
  target: { baseVersion: number | undefined },
  fencingToken: number | undefined,
  source: TokensOrigin,
): Promise<Attempt> {
  const { store, events } = state.config;
  try {
    const stored = await store.set(state.key, tokens, {
      ...(target.baseVersion === undefined ? {} : { expectedVersion: target.baseVersion }),
      ...(fencingToken === undefined ? {} : { fencingToken }),
    });
    state.current = stored;
    state.pending = undefined;
    await events.emit('tokens', { key: state.key, tokens: stored.tokens, source, persisted: true });
    return { kind: 'stored', tokens: stored.tokens };
  } catch (error) {
    if (!isVersionConflictError(error)) return { kind: 'retry', error };
    let latest: StoredTokens | undefined;
    try {
      latest = await store.get(state.key);
    } catch (readError) {
      return { kind: 'retry', error: readError };
    }
    if (latest !== undefined && !state.due(latest.tokens)) {
      state.pending = undefined;
      await events.emit('warning', {
        key: state.key,
        code: 'WRITE_CONFLICT',
        message: 'Another writer stored newer tokens meanwhile; the stored tokens were kept',
      });
      return { kind: 'superseded', tokens: await state.adopt(latest) };
    }
    // A newer lease was granted: writing now could overwrite a newer refresh token. Keep ours in memory.
    if (error.reason === 'fencing') return { kind: 'fenced' };
    target.baseVersion = latest?.version ?? 0;
    return { kind: 'retry', error };
  }
}

/** Options of {@link writeTokens}. */
export interface WriteOptions {
  /** The version the tokens replace (compare-and-set); `undefined` writes unconditionally (a new sign-in). */
  baseVersion: number | undefined;
  /** The lease the write is fenced by; kept (extended) while the tokens exist only in memory. */
  keeper: LeaseKeeper | undefined;
  source: TokensOrigin;
}

/**
 * The one write path of new tokens: compare-and-set (fenced by the lease), retried `persistAttempts` times with
 * growing pauses while the lease is kept alive. Resolves with the tokens in effect — ours once stored, or a newer
 * valid entry another writer stored. When the store keeps refusing, the tokens are kept in memory (`pending`), a
 * `persist-failed` event says so, and they are written again later: in the background while this process still
 * holds the lease (see {@link finishLease}), otherwise by the next call.
 */
export async function writeTokens(
  state: GrantState,
  tokens: TokenSet,
  options: WriteOptions,
): Promise<TokenSet> {
  const { persistAttempts, persistDelayMs, events } = state.config;
  const target = { baseVersion: options.baseVersion };
  let lastError: unknown;
  for (let n = 1; n <= persistAttempts; n++) {
    // Also after the lease was lost: the write is fenced, so the store refuses it if a newer lease was granted, and
    // stores it (saving a rotated refresh token) if not.
    const result = await attempt(state, tokens, target, options.keeper?.fencingToken, options.source);
    if (result.kind === 'stored' || result.kind === 'superseded') return result.tokens;
    if (result.kind === 'fenced') {
      options.keeper?.abandon();
      lastError = new LeaseLostError(state.key);
      break;
    }
    lastError = result.error;
    if (n < persistAttempts) await sleep(persistDelayMs * n);
  }
  state.pending = { tokens, baseVersion: target.baseVersion, fencingToken: options.keeper?.fencingToken };
  await events.emit('persist-failed', { key: state.key, error: lastError, attempts: persistAttempts });
  await events.emit('tokens', { key: state.key, tokens, source: options.source, persisted: false });
  return tokens;
}

/**
 * Writes `pending` once, under the lease. Returns whether nothing is pending any more (stored, or superseded by a
 * newer stored entry).
 */
export async function flushPending(state: GrantState, keeper: LeaseKeeper | undefined): Promise<boolean> {
  return (await writePending(state, keeper)) !== 'retry';
}

/**
 * One write of `pending`, fenced by `keeper` when there is one, else by the lease the tokens were obtained under.
 * `done`: nothing is pending any more; `fenced`: a newer lease was granted, so writing them could overwrite a newer
 * refresh token (they stay in memory); `retry`: the store refused for now.
 */
export async function writePending(
  state: GrantState,
  keeper: LeaseKeeper | undefined,
): Promise<'done' | 'fenced' | 'retry'> {
  const pending = state.pending;
  if (pending === undefined) return 'done';
  const target = { baseVersion: pending.baseVersion };
  const fencingToken = keeper?.fencingToken ?? pending.fencingToken;
  const result = await attempt(state, pending.tokens, target, fencingToken, 'refresh');
  if (result.kind === 'retry' && state.pending === pending) state.pending = { ...pending, ...target };
  if (result.kind === 'fenced') {
    keeper?.abandon();
    return state.pending === undefined ? 'done' : 'fenced';
  }
  return state.pending === undefined ? 'done' : 'retry';
}

/**
 * Ends the cycle's hold on the lease. Persist before release: while tokens exist only in this process's memory
 * (the store refused them), the lease is not given back — it is kept alive and the write retried in the background
 * with bounded pauses, so no other process reads the old refresh token and replays it. When the lease is lost
 * meanwhile, a `persist-failed` event with a {@link LeaseLostError} says so and the tokens stay in memory for the
 * next call.
 */
export async function finishLease(state: GrantState, keeper: LeaseKeeper | undefined): Promise<void> {
  if (keeper === undefined) return;
  if (state.pending === undefined || !keeper.held) {
    await keeper.release();
    return;
  }
  const wake = new AbortController();
  state.heldLease = { keeper, wake };
  state.backgroundWrite = backgroundWrite(state, keeper, wake.signal).finally(() => {
    state.backgroundWrite = undefined;
  });
}

async function backgroundWrite(state: GrantState, keeper: LeaseKeeper, wake: AbortSignal): Promise<void> {
  const owns = (): boolean => state.heldLease?.keeper === keeper;
  // After the lease is lost (the store unreachable long enough), the write goes on, fenced by the lost lease's token:
  // a store that comes back before anyone was granted a newer lease takes it, and no other process ever reads the
  // old refresh token. Bounded: a store gone longer than this leaves the tokens to the next call.
  let giveUpAt: number | undefined;
  try {
    for (let n = 1; owns() && state.pending !== undefined; n++) {
      if (!keeper.held) {
        giveUpAt ??= state.config.clock.now() + LOST_LEASE_WRITE_MS;
        if (state.config.clock.now() >= giveUpAt) break;
      }
      const delayMs = Math.min(MAX_BACKGROUND_DELAY_MS, state.config.persistDelayMs * 2 ** n);
      try {
        await sleep(delayMs, keeper.held ? AbortSignal.any([wake, keeper.signal]) : wake);
      } catch {
        // Woken: the lease was taken over by a refresh cycle of this process, or lost.
      }
      if (!owns()) break;
      if ((await writePending(state, keeper.held ? keeper : undefined)) === 'fenced') break;
    }
    if (!owns()) return; // a refresh cycle took the lease over and will release it
    state.heldLease = undefined;
    if (state.pending !== undefined) {
      await state.config.events.emit('persist-failed', {
        key: state.key,
        error: new LeaseLostError(state.key),
        attempts: 0,
      });
      await state.config.events.emit('warning', {
        key: state.key,
        code: 'UNSAVED_TOKENS_LEASE_LOST',
        message: `The store lease on "${state.key}" was lost while new tokens were not yet stored; they are kept in memory and written by the next call`,
      });
    }
    await keeper.release();
  } catch {
    // Listeners' errors are reported by the emitter; nothing here may reject unobserved.
  }
}

/**
 * Takes over the lease a background writer holds, for a refresh cycle of this process. Returns it when it is still
 * held, else `undefined` (the cycle then locks as usual).
 */
export async function takeOverLease(state: GrantState): Promise<LeaseKeeper | undefined> {
  const held = state.heldLease;
  if (held === undefined) return undefined;
  state.heldLease = undefined;
  held.wake.abort(WAKE);
  await state.backgroundWrite;
  if (held.keeper.held) return held.keeper;
  await held.keeper.release();
  return undefined;
}

/** The reason a background writer is woken with (a DOMException per wake would be built for nothing). */
const WAKE = Symbol('wake');
