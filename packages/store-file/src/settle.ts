/** The outcome of a promise, held as a value so that it can be awaited later without an unhandled rejection. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Starts watching `promise` at once: the result resolves (never rejects) with its outcome. For work that runs
 * beside other work and is looked at only after it, such as a flush that overlaps a release.
 */
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** The value of a settled promise, or its error thrown. */
export function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}
