import { join } from 'node:path';
import { namesMissingFromReadme } from '@auth/test-support/readme-exports';
import { describe, expect, it } from 'vitest';

describe('the README and the exports agree', () => {
  it('every name the package exports, types included, is named in its README', () => {
    expect(namesMissingFromReadme(join(import.meta.dirname, '..'))).toEqual([]);
  });
});
