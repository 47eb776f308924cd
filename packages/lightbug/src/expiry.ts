import { jwtExpiresAt, type ServerClockOffset } from '@auth/core/adapter';

/** Below this, a number is epoch seconds (up to the year 5138); from it on, epoch milliseconds (from 1973). */
const SECONDS_LIMIT = 100_000_000_000;
/** From this on, a number is neither (microseconds, or garbage). */
const MILLISECONDS_LIMIT = 100_000_000_000_000;

const isoPattern =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function fromEpoch(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value < SECONDS_LIMIT) return Math.round(value * 1000);
  if (value < MILLISECONDS_LIMIT) return Math.round(value);
  return undefined;
}

function fromIso(text: string): number | undefined {
  const match = isoPattern.exec(text);
  if (match === null) return undefined;
  const [, date, time, zone] = match;
  let normalized = time === undefined ? `${date}T00:00:00` : `${date}T${time}`;
  if (zone === undefined) {
    // No zone designator: Date.parse would read local time; the server means its own time, taken as UTC.
    normalized += 'Z';
  } else if (/^[+-]\d{2}$/.test(zone)) {
    normalized += `${zone}:00`;
  } else if (/^[+-]\d{4}$/.test(zone)) {
    normalized += `${zone.slice(0, 3)}:${zone.slice(3)}`;
  } else {
    normalized += zone.toUpperCase();
  }
  const parsed = Date.parse(normalized);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * Reads one of Lightbug's timestamps (`expiry`, `refreshTokenExpiry`, `created`), whose format is undocumented:
 * ISO-8601 (a missing zone is taken as UTC), or epoch seconds or milliseconds as a number or a string of digits
 * (told apart by magnitude). Returns epoch milliseconds in the SERVER's clock, or `undefined` when the value is
 * missing or unreadable.
 *
 * @example
 * ```ts
 * parseLightbugTime('2026-01-01T00:00:00Z'); // 1767225600000
 * parseLightbugTime(1767225600);             // 1767225600000 (seconds)
 * parseLightbugTime('1767225600000');        // 1767225600000 (milliseconds)
 * ```
 */
export function parseLightbugTime(value: unknown): number | undefined {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text));
  return fromIso(text);
}

/**
 * When an access token expires, in LOCAL epoch ms: from the server's `expiry` field, else from the token's JWT `exp`
 * claim (decoded, not verified), corrected by the server's clock offset. `undefined`: no known expiry (the token is
 * used until the API answers 401).
 */
export function accessTokenExpiresAt(
  expiry: unknown,
  token: string,
  serverClock: ServerClockOffset,
): number | undefined {
  const serverTime = parseLightbugTime(expiry) ?? jwtExpiresAt(token);
  return serverTime === undefined ? undefined : serverClock.toLocal(serverTime);
}
