import { createKyClient } from '@auth/core/ky';
import ky from 'ky';
import { benchAuth, kyRecipe, validTokens } from './clients.ts';
import { STATIC_TOKEN } from './constants.ts';
import { startApiServer } from './server-control.ts';
import { balancedOrder, median, runConcurrently } from './stats.ts';

/** One contender's figures: medians over its runs. */
export interface ThroughputResult {
  name: string;
  /** Requests per second. */
  rps: number;
  /** Client CPU time (user + system) per request, microseconds. */
  cpuUsPerRequest: number;
  /** Every run's requests per second, in order (an anchor runs once for each contender compared with it). */
  rounds: number[];
  /** A contender's anchor: the static-header run it is compared with, run right before or after it. */
  anchor?: string;
  /** Per round: this contender's requests per second over its anchor's in the run next to it. */
  ratios?: number[];
  /** Per round: this contender's client CPU per request minus its anchor's in the run next to it, microseconds. */
  addedCpuUs?: number[];
}

/** The fetch anchor paired with itself: its ratio to the anchor run next to it is the noise floor of the ratios. */
export const A_A_CONTROL = 'fetch, static header (A/A control)';

/** How much the throughput section runs. */
export interface ThroughputOptions {
  /** Interleaved rounds; the figures are medians over them. */
  rounds: number;
  /** Requests per contender and round. */
  requestsPerRound: number;
  /** Requests in flight at once. */
  concurrency: number;
}

/**
 * Plain fetch and ky with a static header, `auth.fetch`, `auth.client` and ky's readme refresh recipe, against the
 * API server (another process) on 127.0.0.1: `concurrency` requests in flight, a valid token in a MemoryStore.
 * Paired: every round runs each contender right next to a run of its anchor (anchor first in half the rounds), the
 * pairs in a balanced order (see {@link balancedOrder}); a ratio is taken within a pair. On a shared machine whose speed
 * drifts over tens of milliseconds, two runs next to each other meet the same machine: in the former design (each
 * contender once a round, in a balanced order) a ratio's per-round spread was about twice as wide when the anchor ran
 * two or more places away. The anchor also runs against itself under a second name: that A/A control shows how far
 * a ratio moves with nothing changed.
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult[]> {
  const server = await startApiServer(20);
  try {
    const url = `${server.origin}/api/items`;
    const header = `Bearer ${STATIC_TOKEN}`;
    const auth = await benchAuth(server.origin, validTokens());
    const kyStatic = ky.create({ headers: { Authorization: header } });
    const client = createKyClient(auth);
    const recipe = kyRecipe(server.origin, STATIC_TOKEN);
    const fetchStatic = async () => (await fetch(url, { headers: { Authorization: header } })).text();
    const fetchAnchor: Contender = { name: 'fetch, static header', call: fetchStatic };
    const kyAnchor: Contender = { name: 'ky, static header', call: () => kyStatic.get(url).text() };
    const pairs: Array<{ anchor: Contender; contender: Contender }> = [
      {
        anchor: fetchAnchor,
        contender: { name: 'auth.fetch', call: async () => (await auth.fetch(url)).text() },
      },
      { anchor: fetchAnchor, contender: { name: A_A_CONTROL, call: fetchStatic } },
      { anchor: kyAnchor, contender: { name: 'createKyClient(auth)', call: () => client.get(url).text() } },
      {
        anchor: kyAnchor,
        contender: { name: 'ky readme refresh recipe', call: () => recipe.get(url).text() },
      },
    ];
    // Each anchor, then the contenders compared with it: the order of the report's rows.
    const everyone = [fetchAnchor, kyAnchor].flatMap((anchor) => [
      anchor,
      ...pairs.filter((p) => p.anchor === anchor).map((p) => p.contender),
    ]);
    // Every contender must succeed before anything is timed: a 401 would measure the wrong thing.
    for (const contender of everyone) {
      await runConcurrently(options.concurrency * 4, options.concurrency, contender.call);
    }
    const runs = new Map(everyone.map((c) => [c.name, { rps: [] as number[], cpu: [] as number[] }]));
    const paired = new Map(
      pairs.map((p) => [p.contender.name, { ratios: [] as number[], cpu: [] as number[] }]),
    );
    const run = async (contender: Contender): Promise<{ rps: number; cpu: number }> => {
      const cpuBefore = process.cpuUsage();
      const start = process.hrtime.bigint();
      await runConcurrently(options.requestsPerRound, options.concurrency, contender.call);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpuBefore);
      const figures = {
        rps: options.requestsPerRound / seconds,
        cpu: (used.user + used.system) / options.requestsPerRound,
      };
      runs.get(contender.name)!.rps.push(figures.rps);
      runs.get(contender.name)!.cpu.push(figures.cpu);
      return figures;
    };
    for (let round = 0; round < options.rounds; round++) {
      const order = balancedOrder(pairs, round);
      for (const [place, pair] of order.entries()) {
        // Over each cycle of rounds a pair takes every place once, so it runs anchor first in half of them.
        const anchorFirst = (Math.floor(round / pairs.length) + place) % 2 === 0;
        const first = await run(anchorFirst ? pair.anchor : pair.contender);
        const second = await run(anchorFirst ? pair.contender : pair.anchor);
        const [anchor, contender] = anchorFirst ? [first, second] : [second, first];
        const sample = paired.get(pair.contender.name)!;
        sample.ratios.push(contender.rps / anchor.rps);
        sample.cpu.push(contender.cpu - anchor.cpu);
      }
    }
    return everyone.map((c) => {
      const pair = pairs.find((p) => p.contender === c);
      const result: ThroughputResult = {
        name: c.name,
        rps: median(runs.get(c.name)!.rps),
        cpuUsPerRequest: median(runs.get(c.name)!.cpu),
        rounds: runs.get(c.name)!.rps,
      };
      if (pair !== undefined) {
        result.anchor = pair.anchor.name;
        result.ratios = paired.get(c.name)!.ratios;
        result.addedCpuUs = paired.get(c.name)!.cpu;
      }
      return result;
    });
  } finally {
    await server.stop();
  }
}

interface Contender {
  name: string;
  call: () => Promise<unknown>;
}
