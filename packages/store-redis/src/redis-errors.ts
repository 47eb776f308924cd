import { isAuthError } from '@auth/core';
import { StoreDataError, StoreUnavailableError, scrub } from '@auth/core/adapter';

/** Replies that mean a key holds something the scripts cannot work with, rather than a failure to reach Redis. */
const DATA_ERRORS = /WRONGTYPE|not an integer|out of range/;

/**
 * A copy of a client's error that keeps only its name, code and message (with any secret scrubbed). Client errors
 * can carry the command and its arguments — ioredis attaches `command.args`, which for a write holds the tokens —
 * so the original never becomes a cause.
 */
export function sanitizeError(error: unknown, secrets: readonly string[]): Error {
  if (!(error instanceof Error)) return new Error('Non-error thrown by the Redis client');
  const copy = new Error(scrub(error.message, secrets));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  return copy;
}

/**
 * Maps what a client threw to the store's errors: a key of the wrong type becomes {@link StoreDataError} (naming
 * the Redis key, never its value); everything else — refused or dropped connections, a closed client, a full or
 * read-only server, a retry limit — becomes {@link StoreUnavailableError}. The store's own errors pass through.
 */
export function toStoreError(
  error: unknown,
  context: { operation: string; location: string; secrets: readonly string[] },
): Error {
  if (isAuthError(error)) return error;
  const cause = sanitizeError(error, context.secrets);
  if (DATA_ERRORS.test(cause.message)) {
    return new StoreDataError(
      `Redis key ${context.location} holds a value of another type than this store writes (${context.operation})`,
      context.location,
      { cause },
    );
  }
  return new StoreUnavailableError(`Redis ${context.operation} failed: ${cause.message}`, { cause });
}
