import { ConfigError, type ConfigIssue, Secret } from '@auth/core';
import { parseWith } from '@auth/core/adapter';
import type { KyInstance } from '@auth/core/ky';
import type { LightbugPersonalAccessTokenInfo, LightbugPersonalAccessTokenPage } from './schemas.js';

/** The response schemas, loaded (with zod) on first use rather than with the package. */
const schemas = () => import('./schemas.js');

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
  /** The token's id, for `revokePersonalAccessToken`; optional in Lightbug's OpenAPI, so it may be missing. */
  id: number | string | undefined;
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
  const { personalAccessTokenCreatedSchema } = await schemas();
  const data = parseWith(
    personalAccessTokenCreatedSchema,
    await client.post(PATH, { json: body }).json(),
    'Lightbug personal access token response',
  );
  return { ...data, id: data.id, token: new Secret(data.token) };
}

/** The largest `_limit` of `GET /v2/users/personalAccessTokens`. */
export const MAX_PERSONAL_ACCESS_TOKEN_PAGE_SIZE = 100;

/** Options of `listPersonalAccessTokenPage`. Left out, the server's defaults apply. */
export interface ListPersonalAccessTokensOptions {
  /** Tokens per page (`_limit`), an integer from 1 to 100. @default the server's: 10 */
  limit?: number;
  /**
   * Page number (`_page`). Its base is undocumented (the emulator counts from 1): the answer's `page` says which
   * page came back.
   * @default the server's first page
   */
  page?: number;
}

/** `GET /v2/users/personalAccessTokens?_limit&_page`: one page `{tokens, limit, page, total}`, without values. */
export async function listPersonalAccessTokenPage(
  client: KyInstance,
  options: ListPersonalAccessTokensOptions = {},
): Promise<LightbugPersonalAccessTokenPage> {
  const issues: ConfigIssue[] = [];
  const searchParams = new URLSearchParams();
  const { limit, page } = options;
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PERSONAL_ACCESS_TOKEN_PAGE_SIZE)
      issues.push({
        option: 'limit',
        message: `must be an integer from 1 to ${MAX_PERSONAL_ACCESS_TOKEN_PAGE_SIZE}`,
      });
    else searchParams.set('_limit', String(limit));
  }
  if (page !== undefined) {
    if (!Number.isInteger(page) || page < 0)
      issues.push({ option: 'page', message: 'must be an integer of at least 0' });
    else searchParams.set('_page', String(page));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const { personalAccessTokenPageSchema } = await schemas();
  return parseWith(
    personalAccessTokenPageSchema,
    await client.get(PATH, { searchParams }).json(),
    'Lightbug personal access token list',
  );
}

/**
 * Every personal access token, without values, read page by page (100 a page). The next page asked for is the
 * answer's own `page` plus one, so a server counting pages from 0 or from 1 both work; it stops at `total`, at an
 * empty page, or after as many pages as `total` needs.
 */
export async function listPersonalAccessTokens(
  client: KyInstance,
): Promise<LightbugPersonalAccessTokenInfo[]> {
  const all: LightbugPersonalAccessTokenInfo[] = [];
  let current = await listPersonalAccessTokenPage(client, { limit: MAX_PERSONAL_ACCESS_TOKEN_PAGE_SIZE });
  all.push(...current.tokens);
  const most = Math.ceil(current.total / Math.max(1, current.tokens.length)) + 1;
  for (let read = 1; all.length < current.total && current.tokens.length > 0 && read < most; read += 1) {
    current = await listPersonalAccessTokenPage(client, {
      limit: MAX_PERSONAL_ACCESS_TOKEN_PAGE_SIZE,
      page: current.page + 1,
    });
    all.push(...current.tokens);
  }
  return all;
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
