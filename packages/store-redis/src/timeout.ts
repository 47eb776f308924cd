/**
 * Settles like `operation`, or rejects with `onTimeout()` after `ms` milliseconds, whichever comes first. The
 * operation is not cancelled (clients cannot take a sent command back); its late outcome is ignored.
 */
export function withTimeout<T>(operation: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
