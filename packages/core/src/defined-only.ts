/** `T` with every optional property's `undefined` removed from its type, as {@link definedOnly} returns it. */
export type DefinedOnly<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * A copy of `object` without the keys whose value is `undefined`: forwards options to a function typed with
 * `exactOptionalPropertyTypes` (where `{ x: undefined }` is not `{}`) without a `...(x === undefined ? {} : { x })`
 * per option.
 *
 * @example
 * ```ts
 * createTokenManager({ storeKey, ...definedOnly({ store: options.store, refresh: options.refresh }) });
 * ```
 */
export function definedOnly<T extends object>(object: T): DefinedOnly<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out as DefinedOnly<T>;
}
