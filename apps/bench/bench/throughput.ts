import { createKyClient } from '@auth/core/ky';
import ky from 'ky';
import { benchAuth, kyRecipe, validTokens } from './clients.ts';
import { STATIC_TOKEN } from './constants.ts';
import { startApiServer } from './server-control.ts';
import { balancedOrder, median, runConcurrently } from './stats.ts';

/** One contender's figures: medians over the rounds. */
export interface ThroughputResult {
  name: string;
  /** Requests per second. */
  rps: number;
  /** Client CPU time (user + system) per request, microseconds. */
  cpuUsPerRequest: number;
  /** Every round's requests per second, in round order. */
  rounds: number[];
}

/** The anchor's second run in every round: its ratio to the anchor is the noise floor of the ratios. */
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
 * Interleaved: every round runs each contender once, in a balanced order (see {@link balancedOrder}). The anchor runs
 * twice a round under two names: the second, an A/A control, shows how far a ratio moves with nothing changed.
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
    const contenders: Array<{ name: string; call: () => Promise<unknown> }> = [
      {
        name: 'fetch, static header',
        call: async () => (await fetch(url, { headers: { Authorization: header } })).text(),
      },
      { name: 'auth.fetch', call: async () => (await auth.fetch(url)).text() },
      {
        name: A_A_CONTROL,
        call: async () => (await fetch(url, { headers: { Authorization: header } })).text(),
      },
      { name: 'ky, static header', call: () => kyStatic.get(url).text() },
      { name: 'createKyClient(auth)', call: () => client.get(url).text() },
      { name: 'ky readme refresh recipe', call: () => recipe.get(url).text() },
    ];
    // Every contender must succeed before anything is timed: a 401 would measure the wrong thing.
    for (const contender of contenders) {
      await runConcurrently(options.concurrency * 4, options.concurrency, contender.call);
    }
    const rps = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    const cpu = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      for (const contender of balancedOrder(contenders, round)) {
        const cpuBefore = process.cpuUsage();
        const start = process.hrtime.bigint();
        await runConcurrently(options.requestsPerRound, options.concurrency, contender.call);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const used = process.cpuUsage(cpuBefore);
        rps.get(contender.name)!.push(options.requestsPerRound / seconds);
        cpu.get(contender.name)!.push((used.user + used.system) / options.requestsPerRound);
      }
    }
    return contenders.map((c) => ({
      name: c.name,
      rps: median(rps.get(c.name)!),
      cpuUsPerRequest: median(cpu.get(c.name)!),
      rounds: rps.get(c.name)!,
    }));
  } finally {
    await server.stop();
  }
}
