/** The Redis keys of one grant. */
export interface GrantKeys {
  /** The entry: JSON `{format, v, version, tokens}`. */
  readonly data: string;
  /** The lease: the owner's random id, with a PX expiry. */
  readonly lock: string;
  /** The last fencing token granted: an integer that never expires and is never deleted. */
  readonly fence: string;
}

/**
 * Names the keys of `key` under `prefix`: `<prefix>{<tag>}:data`, `:lock` and `:fence`. Redis Cluster hashes only
 * the part between the first `{` and the next `}`, so the three keys share one slot and each Lua script touches a
 * single slot. The tag is the key in base64url, which has no braces, so no key can end the tag early or move
 * another grant into this one's slot by design; the empty key, whose encoding would be an empty (ignored) tag,
 * is written `=`, a character base64url never produces.
 *
 * @example
 * ```ts
 * grantKeys('auth:', 'grant-1').data; // 'auth:{Z3JhbnQtMQ}:data'
 * ```
 */
export function grantKeys(prefix: string, key: string): GrantKeys {
  const tag = key === '' ? '=' : Buffer.from(key, 'utf8').toString('base64url');
  const base = `${prefix}{${tag}}`;
  return { data: `${base}:data`, lock: `${base}:lock`, fence: `${base}:fence` };
}
