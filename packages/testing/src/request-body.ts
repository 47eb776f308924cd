import type { EmulatorRequest } from './reply.js';

/** The media type of the request body, lower case and without parameters (`application/json`). */
export function mediaType(request: EmulatorRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The body as form fields when it is `application/x-www-form-urlencoded`, else undefined. */
export function formBody(request: EmulatorRequest): URLSearchParams | undefined {
  return mediaType(request) === 'application/x-www-form-urlencoded'
    ? new URLSearchParams(request.body)
    : undefined;
}

/** The outcome of reading a JSON body. */
export type JsonBody = { ok: true; value: unknown } | { ok: false };

/** The body parsed as JSON when it is `application/json` (or `+json`), else `{ ok: false }`. */
export function jsonBody(request: EmulatorRequest): JsonBody {
  const type = mediaType(request);
  if (type !== 'application/json' && !type.endsWith('+json')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(request.body) };
  } catch {
    return { ok: false };
  }
}

/** `value` as a plain object, or undefined when it is anything else (array, null, scalar). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A field of a form or JSON object as a non-empty string, or undefined. */
export function stringField(
  source: URLSearchParams | Record<string, unknown>,
  name: string,
): string | undefined {
  const value = source instanceof URLSearchParams ? source.get(name) : source[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Decodes one component of an `application/x-www-form-urlencoded` string (`+` is a space), or undefined. */
export function decodeFormComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
