import { benchAuth, validTokens } from './bench/clients.ts';
import { startApiServer } from './bench/server-control.ts';
import { runConcurrently } from './bench/stats.ts';
import { STATIC_TOKEN } from './bench/constants.ts';
const server = await startApiServer(20);
const url = `${server.origin}/api/items`;
const auth = await benchAuth(server.origin, validTokens());
const header = `Bearer ${STATIC_TOKEN}`;
const c: Record<string, () => Promise<unknown>> = {
  fetch: async () => (await fetch(url, { headers: { Authorization: header } })).text(),
  manual: async () => (await fetch(url, { headers: { authorization: header }, redirect: 'manual' })).text(),
  wrapped: async () => { const t = await Promise.resolve(1); return (await ((i: string, init: RequestInit) => globalThis.fetch(i, init))(url, { headers: { authorization: header }, redirect: 'manual' })).text(); },
  auth: async () => (await auth.fetch(url)).text(),
};
const res: Record<string, number[]> = {};
for (const k of Object.keys(c)) await runConcurrently(1000, 32, c[k]!);
for (let r = 0; r < 9; r++) for (const k of Object.keys(c)) {
  const c0 = process.cpuUsage(); await runConcurrently(2000, 32, c[k]!); const u = process.cpuUsage(c0);
  (res[k] ??= []).push((u.user + u.system) / 2000);
}
for (const [k, v] of Object.entries(res)) console.log(k, v.sort((a, b) => a - b)[4]!.toFixed(1));
await server.stop();
