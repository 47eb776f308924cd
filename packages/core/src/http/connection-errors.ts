/**
 * Error codes that mean the connection failed before the request was sent, so a retry cannot repeat it. Node
 * (undici) puts them on `cause` (`TypeError: fetch failed`), Bun on the `TypeError` itself.
 */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Deno (hyper) names the phase that failed in the message of `cause`: `client error (Connect)` covers a refused
 * connection, a DNS failure and a connect timeout; a lost answer says `client error (SendRequest)` instead. A port
 * on the Fetch standard's blocked list is refused before anything is opened.
 */
const notSentMessages = [/\bclient error \(Connect\)/, /\bRequests to port \d+ are blocked\b/];

interface ErrorParts {
  codes: string[];
  messages: string[];
}

function partsOf(error: unknown, parts: ErrorParts = { codes: [], messages: [] }, depth = 0): ErrorParts {
  if (depth > 4 || typeof error !== 'object' || error === null) return parts;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') parts.codes.push(code);
  if (typeof message === 'string') parts.messages.push(message);
  partsOf(cause, parts, depth + 1);
  if (Array.isArray(errors)) for (const inner of errors) partsOf(inner, parts, depth + 1);
  return parts;
}

/**
 * Whether a `fetch` rejection means nothing reached the server (connection refused, DNS failure, connect timeout),
 * so the request can be sent again safely. Anything else — a reset, a timeout while waiting for the answer, or an
 * error that does not say — counts as "may have been processed".
 *
 * What each runtime lets us tell:
 *
 * | runtime | how | told apart |
 * | --- | --- | --- |
 * | Node (undici) | `cause.code` (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_CONNECT_TIMEOUT`…) | yes |
 * | Bun | `code` on the `TypeError` | yes |
 * | Deno | `cause.message` names the phase: `client error (Connect)` vs `(SendRequest)` | yes |
 * | browsers | a bare `TypeError` (`Failed to fetch`, `Load failed`, `NetworkError…`) for every failure | no |
 * | workerd (Cloudflare Workers) | `Error: Network connection lost.` for a refused connection and a reset alike | no |
 *
 * Where the runtime cannot tell, a failed token request is reported as `requestMayHaveBeenProcessed: true` and is
 * not retried (a refresh token may have been spent); the next call recovers through the token manager's single
 * replay.
 */
export function failedBeforeSending(error: unknown): boolean {
  const { codes, messages } = partsOf(error);
  if (codes.length > 0) return codes.every((code) => notSentCodes.has(code));
  return messages.some((message) => notSentMessages.some((pattern) => pattern.test(message)));
}
