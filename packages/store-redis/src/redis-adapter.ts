import { ConfigError } from '@auth/core';
import type { RedisScript } from './scripts.js';

/**
 * The one thing the store needs from a Redis client: run a Lua script on the keys it names. Implement it to use a
 * client the store does not recognize; ioredis and node-redis clients are adapted automatically.
 *
 * @example
 * ```ts
 * const client: RedisScriptClient = {
 *   evalScript: (script, keys, args) => myClient.eval(script.source, keys, args),
 * };
 * const store = new RedisStore({ client });
 * ```
 */
export interface RedisScriptClient {
  /**
   * Runs `script` with `keys` (all in one hash slot) and `args`, resolving with the script's reply as the client
   * decodes it (strings, integers, arrays, `null`). EVALSHA with a fallback to EVAL on `NOSCRIPT` saves sending
   * the source each time; plain EVAL is correct too.
   */
  evalScript(script: RedisScript, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

/** The part of an ioredis `Redis` or `Cluster` the store uses. */
export interface IoRedisLike {
  evalsha(sha1: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** The part of a node-redis (`redis`, v4 and later) client or cluster the store uses. */
export interface NodeRedisLike {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** A client the store accepts. */
export type RedisClientLike = IoRedisLike | NodeRedisLike | RedisScriptClient;

/** Which kind of client was detected, for messages and tests. */
export type RedisClientKind = 'ioredis' | 'node-redis' | 'custom';

function hasFunction(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === 'function';
}

/** Whether the error is Redis's answer that the script is not in its cache (after a restart or SCRIPT FLUSH). */
export function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

async function withScriptFallback(
  bySha: () => Promise<unknown>,
  bySource: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await bySha();
  } catch (error) {
    if (!isNoScriptError(error)) throw error;
    return bySource();
  }
}

/**
 * Adapts a client by its shape, without importing either library (both are optional peer dependencies): an object
 * with `evalScript` is used as is; `evalSha` (camelCase) marks node-redis; `evalsha` marks ioredis. Throws
 * {@link ConfigError} naming `client` for anything else.
 */
export function adaptClient(client: unknown): { kind: RedisClientKind; scripts: RedisScriptClient } {
  if (typeof client !== 'object' || client === null) {
    throw new ConfigError([
      { option: 'client', message: 'must be an ioredis or node-redis client, or a RedisScriptClient' },
    ]);
  }
  if (hasFunction(client, 'evalScript')) {
    const custom = client as RedisScriptClient;
    return {
      kind: 'custom',
      scripts: { evalScript: (script, keys, args) => custom.evalScript(script, keys, args) },
    };
  }
  if (hasFunction(client, 'evalSha') && hasFunction(client, 'eval')) {
    const nodeRedis = client as NodeRedisLike;
    return {
      kind: 'node-redis',
      scripts: {
        evalScript: (script, keys, args) => {
          const options = { keys: [...keys], arguments: [...args] };
          return withScriptFallback(
            () => nodeRedis.evalSha(script.sha1, options),
            () => nodeRedis.eval(script.source, options),
          );
        },
      },
    };
  }
  if (hasFunction(client, 'evalsha') && hasFunction(client, 'eval')) {
    const ioredis = client as IoRedisLike;
    return {
      kind: 'ioredis',
      scripts: {
        evalScript: (script, keys, args) =>
          withScriptFallback(
            () => ioredis.evalsha(script.sha1, keys.length, ...keys, ...args),
            () => ioredis.eval(script.source, keys.length, ...keys, ...args),
          ),
      },
    };
  }
  throw new ConfigError([
    {
      option: 'client',
      message: 'has neither evalScript (RedisScriptClient), evalSha (node-redis) nor evalsha (ioredis)',
    },
  ]);
}
