import type { ConfigIssue } from './errors.js';

/** Edit distance between two option names, case-insensitive (a misspelling or a wrong case is one option away). */
function distance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[right.length] ?? Math.max(left.length, right.length);
}

/**
 * One {@link ConfigIssue} per key of `options` that is not one of the `known` names (and is not `undefined`): an option the factory
 * would otherwise ignore without a word. Every factory (core's and the vendors') words it the same way. The message suggests the option meant when one is close: a name from `aliases` (the name
 * another library uses, such as OIDC's `tokenEndpointAuthMethod`), or a known name at most 2 edits away.
 */
export function unknownOptionIssues(
  options: object,
  known: Iterable<string>,
  aliases: Readonly<Record<string, string>> = {},
): ConfigIssue[] {
  const names = [...known];
  const knownNames = new Set(names);
  const values = options as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(options)) {
    if (knownNames.has(key) || values[key] === undefined) continue;
    const normalised = key.toLowerCase().replace(/[_-]/g, '');
    const alias = Object.entries(aliases).find(([name]) => name.toLowerCase() === normalised)?.[1];
    const close = names
      .map((name) => [name, distance(key, name)] as const)
      .filter(([, edits]) => edits <= 2)
      .sort((a, b) => a[1] - b[1])[0]?.[0];
    const suggestion = alias ?? close;
    issues.push({
      option: key,
      message: `is not an option${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
    });
  }
  return issues;
}
