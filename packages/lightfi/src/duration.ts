/** The unit letters a {@link Duration} string may end in: seconds, minutes, hours, days. */
export type DurationUnit = 's' | 'm' | 'h' | 'd';

/**
 * A length of time: a whole number followed by a unit (`'300s'`, `'240m'`, `'1h'`, `'3650d'`), or a number of
 * milliseconds. This is how LightFi (and the Cognito console) write an app client's token lifetimes.
 *
 * @example
 * ```ts
 * const lifetimes = { accessToken: '240m', refreshToken: '3650d' } satisfies Record<string, Duration>;
 * ```
 */
export type Duration = number | `${number}${DurationUnit}`;

const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a {@link Duration} into milliseconds, or returns `undefined` when it is malformed (a fraction, a
 * negative number, an unknown unit, not a safe integer).
 *
 * @example
 * ```ts
 * parseDuration('240m'); // 14_400_000
 * parseDuration('10x');  // undefined
 * ```
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * Writes milliseconds the way people read them: in the largest unit that divides them exactly (`'4 minutes'`,
 * `'1 day'`, `'299999 ms'`).
 */
export function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms !== 0 && ms % size === 0) {
      const count = ms / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
