import { createAuth, createTokenManager, MemoryStore } from '@auth/core';
import { createKyClient } from '@auth/core/ky';
import ky from 'ky';
import { STATIC_TOKEN } from './constants.ts';
import { balancedOrder, median } from './stats.ts';

/** One contender's CPU per call with the network taken away. */
export interface OverheadResult {
  name: string;
  /** Median over rounds of the process CPU time (user + system) per call, microseconds. */
  cpuUsPerCall: number;
  /**
   * For a contender with an anchor: the median over rounds of its CPU per call minus the anchor's in the same round,
   * microseconds (a paired figure: a slow stretch of the machine weighs on both sides of each difference).
   */
  addedUs?: number;
}

/** Each contender's anchor in the overhead section. */
const OVERHEAD_ANCHORS: Readonly<Record<string, string>> = {
  'auth.fetch': 'fetch stand-in, static header',
  'createKyClient(auth)': 'ky, static header',
};

/**
 * The SDK's own work per request, without a network: every contender calls the same `fetch` stand-in, which hands
 * back one ready `Response` at once, so what is left is the layer's CPU — the part of "client CPU per request" an
 * auth layer adds. A direct call of the stand-in with a static header is the anchor of `auth.fetch`; ky with a static
 * header (on the same stand-in) is the anchor of `createKyClient(auth)`. Each round runs every contender once in a
 * balanced order ({@link balancedOrder}); the added CPU is the median of the per-round differences to the anchor.
 */
export async function measureOverhead(rounds: number, calls: number): Promise<OverheadResult[]> {
  const response = new Response(null, { status: 200 });
  const standIn = (async () => response) as unknown as typeof fetch;
  const store = new MemoryStore();
  await store.set('bench', {
    accessToken: STATIC_TOKEN,
    tokenType: 'bearer',
    expiresAt: Date.now() + 3_600_000,
    refreshToken: 'rt-0',
  });
  const url = 'https://api.bench.test/api/items';
  const auth = createAuth({
    baseUrl: 'https://api.bench.test',
    fetch: standIn,
    tokens: createTokenManager({
      store,
      storeKey: 'bench',
      refresh: async () => {
        throw new Error('the overhead section never refreshes');
      },
    }),
  });
  const header = `Bearer ${STATIC_TOKEN}`;
  const kyStatic = ky.create({ headers: { Authorization: header }, fetch: standIn });
  const client = createKyClient(auth);
  const contenders: Array<{ name: string; call: () => Promise<unknown>; calls: number }> = [
    {
      name: 'fetch stand-in, static header',
      call: () => standIn(url, { headers: { Authorization: header } }),
      calls,
    },
    { name: 'auth.fetch', call: () => auth.fetch(url), calls },
    // ky costs tens of microseconds a call: fewer calls keep its rounds as long as the others'.
    { name: 'ky, static header', call: () => kyStatic.get(url), calls: Math.ceil(calls / 20) },
    { name: 'createKyClient(auth)', call: () => client.get(url), calls: Math.ceil(calls / 20) },
  ];
  const cpu = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (const contender of contenders) for (let i = 0; i < contender.calls; i++) await contender.call();
  for (let round = 0; round < rounds; round++) {
    for (const contender of balancedOrder(contenders, round)) {
      const before = process.cpuUsage();
      for (let i = 0; i < contender.calls; i++) await contender.call();
      const used = process.cpuUsage(before);
      cpu.get(contender.name)?.push((used.user + used.system) / contender.calls);
    }
  }
  return contenders.map((c) => {
    const own = cpu.get(c.name) ?? [];
    const anchorName = OVERHEAD_ANCHORS[c.name];
    const anchor = anchorName === undefined ? undefined : cpu.get(anchorName);
    const result: OverheadResult = { name: c.name, cpuUsPerCall: median(own) };
    if (anchor !== undefined)
      result.addedUs = median(own.map((value, round) => value - (anchor[round] ?? Number.NaN)));
    return result;
  });
}
