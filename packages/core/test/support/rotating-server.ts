import type { RefreshContext } from '../../src/adapter.js';
import { TokenEndpointError, type TokenSet } from '../../src/index.js';

/** Options of {@link rotatingServer}. */
export interface RotatingServerOptions {
  /** The clock new tokens' expiry is counted from. @default Date.now */
  now?: () => number;
  /** How long each refresh takes (timers, so fake timers control it). @default none */
  latencyMs?: number;
  /** Access-token lifetime. @default 3600000 */
  lifetimeMs?: number;
}

/**
 * A token server that rotates refresh tokens like Light: each refresh spends the token it was given (`invalid_grant`
 * for a spent or unknown one) and counts reuse of a spent one. Its `refresh` is a `RefreshFunction`.
 */
export function rotatingServer(options: RotatingServerOptions = {}) {
  const now = options.now ?? Date.now;
  let generation = 0;
  const valid = new Set(['rt-0']);
  const used = new Set<string>();
  const calls: string[] = [];
  let reuse = 0;
  return {
    calls,
    get reuse() {
      return reuse;
    },
    latest: () => `rt-${generation}`,
    async refresh({ tokens }: RefreshContext): Promise<TokenSet> {
      calls.push(tokens.refreshToken);
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (!valid.has(tokens.refreshToken)) {
        if (used.has(tokens.refreshToken)) reuse++;
        throw new TokenEndpointError({ error: 'invalid_grant', status: 400 });
      }
      valid.delete(tokens.refreshToken);
      used.add(tokens.refreshToken);
      generation++;
      valid.add(`rt-${generation}`);
      return {
        accessToken: `at-${generation}`,
        tokenType: 'bearer',
        expiresAt: now() + (options.lifetimeMs ?? 3_600_000),
        refreshToken: `rt-${generation}`,
      };
    },
  };
}
