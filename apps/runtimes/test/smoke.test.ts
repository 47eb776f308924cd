import { beforeAll, describe, expect, it } from 'vitest';
import { prepareRun } from '../src/emulators.js';
import { bundle, RUNTIMES, RuntimeUnavailable } from '../src/runners.js';

const STEPS = [
  'core: code exchange',
  'core: refresh',
  'core: authenticated request',
  'core: 401 retry',
  'core: redirect',
  'core: token endpoint redirect',
  'core: connection failure',
  'light: code exchange',
  'light: refresh',
  'light: authenticated request',
  'light: 401 retry',
  'light: redirect',
  'lightbug: login',
  'lightbug: refresh',
  'lightbug: authenticated request',
  'lightbug: 401 retry',
  'lightbug: redirect',
  'lightfi: code exchange',
  'lightfi: refresh',
  'lightfi: authenticated request',
  'lightfi: 401 retry',
  'lightfi: redirect',
];

beforeAll(async () => {
  await bundle();
});

describe('the smoke suite on every runtime', () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime.name}: every step passes and costs what it should at the emulators`, async (context) => {
      const run = await prepareRun(runtime.name, runtime);
      try {
        const started = Date.now();
        let results: Awaited<ReturnType<typeof runtime.run>>;
        try {
          results = await runtime.run(run.config);
        } catch (error) {
          if (!(error instanceof RuntimeUnavailable)) throw error;
          const why = `runtimes: ${runtime.name} cannot run on this machine: ${error.message}`;
          console.warn(why);
          // In CI a missing runtime is a failure, never a silent pass.
          if (process.env['CI'] === 'true') throw new Error(why);
          context.skip(why);
          return;
        }
        console.info(`runtimes: ${runtime.name} ran the suite in ${Date.now() - started} ms`);
        const failed = results.filter((result) => !result.ok);
        expect(failed).toEqual([]);
        expect(results.map((result) => result.step)).toEqual(STEPS);
        const wrong = run.expectations().filter((e) => e.actual !== e.expected);
        expect(wrong).toEqual([]);
      } finally {
        await run.close();
      }
    });
  }
});
