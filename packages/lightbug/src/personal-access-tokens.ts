import { ConfigError, type ConfigIssue, parseWith, Secret } from '@auth/core';
import type { KyInstance } from 'ky';
import {
  type LightbugPersonalAccessTokenInfo,
  personalAccessTokenCreatedSchema,
  personalAccessTokenListSchema,
} from './schemas.js';

/** The longest lifetime of a personal access token: one year (365 days), in seconds. */
export const MAX_PERSONAL_ACCESS_TOKEN_TTL_SECONDS = 31_536_000;

/** The lifetime Lightbug gives a personal access token when `ttl` is left out: one month (30 days), in seconds. */
export const DEFAULT_PERSONAL_ACCESS_TOKEN_TTL_SECONDS = 2_592_000;

const PATH = 'v2/users/personalAccessTokens';

/** Options of `createPersonalAccessToken`. */
export interface CreatePersonalAccessTokenOptions {
  /** What the token is for (shown in the token list). */
  description: string;
  /**
   * Lifetime in SECONDS, an integer from 1 to 31,536,000 (one year).
   * @default 2592000 (one month, Lightbug's default: the field is left out of the request)
   */
  ttl?: number;
}

/** A newly created personal access token. `token` is its value, shown this once: keep it like a password. */
export interface LightbugPersonalAccessToken {
  id: number | string;
  /** The token: `token.reveal()` gives the value (pass the Secret itself to `createLightbugAuth({ token })`). */
  token: Secret;
  /** Lifetime in seconds. */
  ttl: number;
  /** Creation time as the server wrote it (ISO-8601). */
  created: string;
  description: string;
}

function checkCreateOptions(options: CreatePersonalAccessTokenOptions): void {
  const issues: ConfigIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError([{ option: 'options', message: 'must be an object with a description' }]);
  }
  if (typeof options.description !== 'string' || options.description.trim() === '') {
    issues.push({ option: 'description', message: 'must be a non-empty string' });
  }
  if (
    options.ttl !== undefined &&
    (!Number.isInteger(options.ttl) || options.ttl < 1 || options.ttl > MAX_PERSONAL_ACCESS_TOKEN_TTL_SECONDS)
  ) {
    issues.push({
      option: 'ttl',
      message: `must be an integer number of seconds from 1 to ${MAX_PERSONAL_ACCESS_TOKEN_TTL_SECONDS} (one year)`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/** `POST /v2/users/personalAccessTokens {description, ttl?}`. */
export async function createPersonalAccessToken(
  client: KyInstance,
  options: CreatePersonalAccessTokenOptions,
): Promise<LightbugPersonalAccessToken> {
  checkCreateOptions(options);
  const body: Record<string, unknown> = { description: options.description };
  if (options.ttl !== undefined) body['ttl'] = options.ttl;
  const data = parseWith(
    personalAccessTokenCreatedSchema,
    await client.post(PATH, { json: body }).json(),
    'Lightbug personal access token response',
  );
  return { ...data, token: new Secret(data.token) };
}

/** `GET /v2/users/personalAccessTokens`: the tokens, without their values. */
export async function listPersonalAccessTokens(
  client: KyInstance,
): Promise<LightbugPersonalAccessTokenInfo[]> {
  return parseWith(
    personalAccessTokenListSchema,
    await client.get(PATH).json(),
    'Lightbug personal access token list',
  );
}

/** `DELETE /v2/users/personalAccessTokens/{id}`. */
export async function revokePersonalAccessToken(client: KyInstance, id: number | string): Promise<void> {
  const valid =
    (typeof id === 'number' && Number.isInteger(id) && id >= 0) ||
    (typeof id === 'string' && id.trim() !== '');
  if (!valid)
    throw new ConfigError([{ option: 'id', message: 'must be a token id (an integer or a string)' }]);
  await client.delete(`${PATH}/${encodeURIComponent(String(id))}`).arrayBuffer();
}
