import type { TokenSet } from '@auth/core';
import { benchAuth, kyRecipe, requestToken, validTokens } from './clients.ts';
import { STATIC_TOKEN } from './constants.ts';
import { type ApiServer, startApiServer } from './server-control.ts';
import { balancedOrder, median, storm } from './stats.ts';

/** The token endpoint's answer time in the storms, ms. */
export const STORM_TOKEN_DELAY_MS = 20;

/** One storm scenario's figures: medians over the rounds. */
export interface StormResult {
  name: string;
  callers: number;
  /** Storms the medians are taken over. */
  storms: number;
  /** Token endpoint calls per storm. */
  tokenCalls: number;
  /** Callers whose call rejected, per storm. */
  failedCallers: number;
  /** Time until the last caller was answered, ms. */
  totalMs: number;
  /** One token round trip (a plain POST to an endpoint with the same delay), measured just before, ms. */
  tokenRoundTripMs: number;
  /** `totalMs` minus `tokenRoundTripMs`, ms: what waiting on one refresh adds. */
  addedMs: number;
}

interface Scenario {
  name: string;
  /** A storm of one token round trip: run {@link QUICK_REPEATS} times a round. */
  quick?: boolean;
  /** Prepares one storm; resolves the call each of the callers makes. */
  prepare(server: ApiServer): Promise<() => Promise<unknown>>;
}

const scenarios: Scenario[] = [
  {
    // The floor of any single-flight refresh: the callers share one plain promise of one token request, no SDK.
    // Its added time is what 1,000 callers and their answers cost the harness itself.
    name: '(reference) one shared token request, no SDK',
    quick: true,
    prepare: async (server) => {
      let shared: Promise<TokenSet> | undefined;
      return () => {
        shared ??= requestToken(server.origin, 'rt-0');
        return shared;
      };
    },
  },
  {
    name: 'auth.getToken, expired token in the store',
    quick: true,
    prepare: async (server) => {
      const now = Date.now();
      const auth = await benchAuth(server.origin, {
        ...validTokens(),
        issuedAt: now - 7_200_000,
        expiresAt: now - 1,
      });
      return () => auth.getToken();
    },
  },
  {
    name: 'auth.fetch, token revoked (401)',
    prepare: async (server) => {
      const auth = await benchAuth(server.origin, validTokens());
      await server.revoke();
      return async () => {
        const res = await auth.fetch(`${server.origin}/api/items`);
        if (!res.ok) throw new Error(`status ${res.status}`);
        return res.text();
      };
    },
  },
  {
    name: 'ky readme refresh recipe, token revoked (401)',
    prepare: async (server) => {
      const recipe = kyRecipe(server.origin, STATIC_TOKEN);
      await server.revoke();
      return () => recipe.get(`${server.origin}/api/items`).text();
    },
  },
];

/**
 * One token round trip exactly as the contenders' refresh makes it (`requestToken`: the same form body, headers and
 * JSON reading), against `/probe`, which answers like `/token` without issuing or counting a token.
 */
async function tokenRoundTrip(origin: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${origin}/probe`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt-probe' }),
  });
  await res.json();
  return performance.now() - start;
}

/** How many storms a quick scenario (one token round trip each) runs per round: its median rests on more of them. */
export const QUICK_REPEATS = 5;

/**
 * Storms: `callers` concurrent calls that all need a new token at once (token endpoint answering in 20 ms). Counts
 * token calls and failed callers, and the time beyond one token round trip until the last caller is answered.
 * Every round runs each scenario in a balanced order (so the reference row and the SDK's rows meet the same
 * machine), a quick scenario {@link QUICK_REPEATS} times in a row.
 */
export async function measureStorms(callers: number, rounds: number): Promise<StormResult[]> {
  const server = await startApiServer(STORM_TOKEN_DELAY_MS);
  try {
    // Open the sockets a storm needs once, so that no round pays for connecting them.
    await Promise.all(Array.from({ length: callers }, () => tokenRoundTrip(server.origin)));
    const samples = new Map(
      scenarios.map((scenario) => [
        scenario,
        { calls: [] as number[], failed: [] as number[], total: [] as number[], rtt: [] as number[] },
      ]),
    );
    for (let round = 0; round < rounds; round++) {
      for (const scenario of balancedOrder(scenarios, round)) {
        const sample = samples.get(scenario)!;
        for (let repeat = 0; repeat < (scenario.quick ? QUICK_REPEATS : 1); repeat++) {
          await server.reset();
          const call = await scenario.prepare(server);
          const oneTrip = await tokenRoundTrip(server.origin);
          const start = performance.now();
          const rejected = await storm(callers, call);
          sample.total.push(performance.now() - start);
          sample.rtt.push(oneTrip);
          sample.calls.push(await server.tokenCalls());
          sample.failed.push(rejected);
        }
      }
    }
    await server.reset();
    return scenarios.map((scenario) => {
      const { calls, failed, total, rtt } = samples.get(scenario)!;
      return {
        name: scenario.name,
        callers,
        storms: total.length,
        tokenCalls: median(calls),
        failedCallers: median(failed),
        totalMs: median(total),
        tokenRoundTripMs: median(rtt),
        addedMs: median(total.map((t, i) => t - rtt[i]!)),
      };
    });
  } finally {
    await server.stop();
  }
}
