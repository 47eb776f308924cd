/** Node, Deno and Bun: the config is the first argument; the results go to stdout as one marked JSON line. */
import { runSmoke, type SmokeConfig } from '../smoke.js';

const runtime = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const argument = runtime.Deno?.args[0] ?? runtime.process?.argv[2];
if (argument === undefined) throw new Error('usage: cli.mjs <config JSON>');
const results = await runSmoke(JSON.parse(argument) as SmokeConfig);
console.log(`SMOKE_RESULT ${JSON.stringify(results)}`);
