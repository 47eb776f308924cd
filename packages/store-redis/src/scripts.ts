import { createHash } from 'node:crypto';

/** A Lua script with its SHA-1, for EVALSHA. */
export interface RedisScript {
  /** A short name for error messages (`set`, `lock`…). */
  readonly name: string;
  readonly source: string;
  /** SHA-1 of `source`, in lower-case hex, as EVALSHA and SCRIPT LOAD use. */
  readonly sha1: string;
}

function script(name: string, source: string): RedisScript {
  return { name, source, sha1: createHash('sha1').update(source, 'utf8').digest('hex') };
}

/** The `format` marker of an entry's JSON, so that a foreign value under the key is detected. */
export const ENTRY_FORMAT = 'auth-store-redis';
/** The layout version of the entries this code writes. */
export const LAYOUT_VERSION = 1;

/**
 * Decodes the entry in KEYS[1] into `version` (0 when absent), or returns the reply `{'corrupt'}` from the
 * calling script when it is not an entry of this layout with the two required token fields: a value the store
 * cannot read is never overwritten. Shared by the scripts that check a version.
 */
const READ_VERSION = `
local raw = redis.call('GET', KEYS[1])
local version = 0
if raw then
  local ok, entry = pcall(cjson.decode, raw)
  if not ok or type(entry) ~= 'table' or entry.format ~= '${ENTRY_FORMAT}' or entry.v ~= ${LAYOUT_VERSION}
    or type(entry.version) ~= 'number' or entry.version < 1 or type(entry.tokens) ~= 'table'
    or type(entry.tokens.accessToken) ~= 'string' or type(entry.tokens.tokenType) ~= 'string' then
    return {'corrupt'}
  end
  version = entry.version
end
`;

/** GET of the entry. KEYS: data. Replies the JSON string or nil. */
export const GET_SCRIPT = script('get', `return redis.call('GET', KEYS[1])`);

/**
 * Compare-and-set of an entry, in one step so that no other client can write between the checks and the write.
 *
 * KEYS: data, fence. ARGV: expected version ('' = any; '0' = must not exist), fencing token ('' = none), the token
 * set as JSON, expiry mode ('none' | 'px' | 'pxat'), expiry value (ms: relative for px, epoch for pxat).
 *
 * Replies `{'ok', version}`, `{'version', current}`, `{'fencing', current}` or `{'corrupt'}`.
 *
 * The token JSON is spliced in as text rather than re-encoded with cjson, which would turn epoch-millisecond
 * numbers into 14-digit floats and lose precision.
 */
export const SET_SCRIPT = script(
  'set',
  `${READ_VERSION}
if ARGV[2] ~= '' then
  local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
  if fence == nil then return {'corrupt-fence'} end
  if tonumber(ARGV[2]) < fence then return {'fencing', version} end
end
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= version then return {'version', version} end
local nextVersion = version + 1
local value = '{"format":"${ENTRY_FORMAT}","v":${LAYOUT_VERSION},"version":' .. string.format('%d', nextVersion)
  .. ',"tokens":' .. ARGV[3] .. '}'
redis.call('SET', KEYS[1], value)
if ARGV[4] == 'px' then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
elseif ARGV[4] == 'pxat' then
  redis.call('PEXPIREAT', KEYS[1], ARGV[5])
end
return {'ok', nextVersion}
`,
);

/**
 * Delete, optionally only at an expected version. KEYS: data. ARGV: expected version ('' = any).
 * Replies `{'ok'}`, `{'version', current}` or `{'corrupt'}`. Without a version, a corrupt value is deleted too:
 * an explicit delete is the way to clear it.
 */
export const DELETE_SCRIPT = script(
  'delete',
  `if ARGV[1] == '' then
  redis.call('DEL', KEYS[1])
  return {'ok'}
end
${READ_VERSION}
if version == 0 then return {'ok'} end
if tonumber(ARGV[1]) ~= version then return {'version', version} end
redis.call('DEL', KEYS[1])
return {'ok'}
`,
);

/**
 * Takes the lease if free, and with it the next fencing token. KEYS: lock, fence. ARGV: owner, ttl (ms).
 * Replies `{'ok', fencingToken}` or `{'held', pttl}` (the holder's remaining ms, to time the next attempt).
 *
 * The fence key never expires and no script deletes it, so fencing tokens keep increasing across releases,
 * expiries and deletes of the entry.
 */
export const LOCK_SCRIPT = script(
  'lock',
  `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {'ok', redis.call('INCR', KEYS[2])}
end
return {'held', redis.call('PTTL', KEYS[1])}
`,
);

/** Deletes the lease only if ARGV[1] still owns it. KEYS: lock. Replies 1 or 0. */
export const RELEASE_SCRIPT = script(
  'release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`,
);

/** Sets the lease's expiry to ARGV[2] ms from now only if ARGV[1] still owns it. KEYS: lock. Replies 1 or 0. */
export const EXTEND_SCRIPT = script(
  'extend',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`,
);
