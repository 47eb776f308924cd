import { randomBytes, randomInt } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { TokenSet } from '@auth/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../src/index.js';
import { TEST_ENTRY } from './support/build.js';
import { startChild } from './support/children.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

/** The two token sets crash-writer.mjs alternates between. */
const SETS: TokenSet[] = [0, 1].map((n) => ({
  accessToken: `access-${'ab'[n]}`.repeat(20),
  tokenType: 'bearer',
  expiresAt: 1_900_000_000_000 + n,
  refreshToken: `refresh-${'ab'[n]}`.repeat(20),
  extra: { n, padding: 'x'.repeat(2_000 * (n + 1)) },
}));

const KILLS = 200;
/** Independent writer lanes (own directory each) run side by side, so 200 kills fit in a few seconds. */
const LANES = 2;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function lane(
  kills: number,
  encryptionKey: string | undefined,
): Promise<{ torn: number; versions: number[] }> {
  const dir = await makeTempDir('crash');
  dirs.push(dir);
  const key = 'grant:crash';
  const reader = (): FileStore => new FileStore({ path: dir, ...(encryptionKey ? { encryptionKey } : {}) });
  const versions: number[] = [];
  for (let i = 0; i < kills; i++) {
    const writer = startChild('crash-writer.mjs', [
      TEST_ENTRY,
      dir,
      key,
      ...(encryptionKey ? [encryptionKey] : []),
    ]);
    await writer.waitForLine(/^ready$/);
    await new Promise((r) => setTimeout(r, randomInt(0, 31)));
    writer.process.kill('SIGKILL');
    const exit = await writer.exited;
    expect(exit.signal, exit.stderr).toBe('SIGKILL');
    // A new store (as a restarted process would make) reads a whole entry: the old tokens or the new ones.
    const entry = await reader().get(key);
    expect(entry).toBeDefined();
    expect([SETS[0], SETS[1]]).toContainEqual(entry?.tokens);
    // And the entry never goes back in time.
    if (versions.length > 0) expect(entry?.version).toBeGreaterThanOrEqual(versions.at(-1) as number);
    versions.push(entry?.version as number);
  }
  const leftovers = (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
  return { torn: 0, versions: [...versions, leftovers.length] };
}

describe('FileStore when the writer is killed mid-write', () => {
  it(`always leaves a whole entry, over ${KILLS} SIGKILLs at random points`, async () => {
    const started = Date.now();
    const key = randomBytes(32).toString('base64');
    const results = await Promise.all(
      Array.from({ length: LANES }, (_, i) => lane(KILLS / LANES, i % 2 === 1 ? key : undefined)),
    );
    const elapsed = Date.now() - started;
    const writes = results.map((r) => r.versions.at(-2) ?? 0);
    console.info(
      `[crash] ${KILLS} kills in ${elapsed} ms (${LANES} lanes, one encrypted); versions reached ${writes.join(', ')}; temporary files left: ${results.map((r) => r.versions.at(-1)).join(', ')}`,
    );
  }, 300_000);
});
