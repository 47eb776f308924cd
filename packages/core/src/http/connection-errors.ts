/** Error codes that mean the connection failed before the request was sent, so a retry cannot repeat it. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codesOf(error: unknown, depth = 0): string[] {
  if (depth > 4 || typeof error !== 'object' || error === null) return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') codes.push(code);
  codes.push(...codesOf(cause, depth + 1));
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner, depth + 1));
  return codes;
}

/**
 * Whether a `fetch` rejection means nothing reached the server (connection refused, DNS failure, connect timeout).
 * Anything else — a reset, a timeout while waiting for the answer — may have been processed.
 */
export function failedBeforeSending(error: unknown): boolean {
  const codes = codesOf(error);
  return codes.length > 0 && codes.every((code) => notSentCodes.has(code));
}
