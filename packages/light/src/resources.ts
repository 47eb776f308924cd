import { ConfigError, type ConfigIssue } from '@auth/core';
import { parseJsonBody, parseWith } from '@auth/core/adapter';
import type { KyInstance } from '@auth/core/ky';
import { LIGHT_MAX_PAGE_SIZE } from './constants.js';
import type { KyOptions } from './options.js';
import type { LightCompany, LightPage, LightUser } from './schemas.js';

/** The response schemas, loaded (with zod) on the first helper call rather than with the package. */
const schemas = () => import('./schemas.js');

/** What the helpers need: an authenticated ky client (any `createLightAuth` result). */
export interface LightClientSource {
  /** ky on the auth's transport. */
  readonly client: KyInstance;
}

/** Options of every helper call. */
export interface LightRequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
}

async function getJson(
  auth: LightClientSource,
  path: string,
  init: KyOptions,
  what: string,
): Promise<unknown> {
  // Read as text: an HTML error page or an empty body becomes a ResponseValidationError, not a SyntaxError.
  const text = await auth.client.get(path, init).text();
  return parseJsonBody(text, what);
}

/**
 * `GET /v1/companies/current`: the company the API key or the signed-in user belongs to, validated.
 * Throws `ResponseValidationError` naming the field when the body has another shape, `ApiError` (with Light's
 * `type`) for an error answer, `RateLimitedError` for a 429.
 *
 * @example
 * ```ts
 * const company = await getCurrentCompany(auth);
 * console.log(company.name, company.baseCurrency);
 * ```
 */
export async function getCurrentCompany(
  auth: LightClientSource,
  options: LightRequestOptions = {},
): Promise<LightCompany> {
  const what = 'Light company response';
  const body = await getJson(auth, 'v1/companies/current', signalInit(options), what);
  const { lightCompanySchema } = await schemas();
  return parseWith(lightCompanySchema, body, what);
}

/** Options of {@link listUsers}. */
export interface ListUsersOptions extends LightRequestOptions {
  /** Records per page, 1 to 200. @default Light's (50 in the emulator; undocumented) */
  limit?: number | undefined;
  /** A `nextCursor` / `prevCursor` from an earlier page, or `'0'` to start cursor pagination at the first record. */
  cursor?: string | undefined;
}

/**
 * `GET /v1/users`: one page of the company's users. Without `cursor` Light pages without cursors; pass `'0'` to
 * opt in, then the `nextCursor` of each page.
 *
 * @example
 * ```ts
 * let page = await listUsers(auth, { limit: 100, cursor: '0' });
 * while (page.hasMore && page.nextCursor) page = await listUsers(auth, { limit: 100, cursor: page.nextCursor });
 * ```
 */
export async function listUsers(
  auth: LightClientSource,
  options: ListUsersOptions = {},
): Promise<LightPage<LightUser>> {
  const issues: ConfigIssue[] = [];
  const { limit, cursor } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > LIGHT_MAX_PAGE_SIZE)) {
    issues.push({ option: 'limit', message: `must be an integer from 1 to ${LIGHT_MAX_PAGE_SIZE}` });
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '')) {
    issues.push({ option: 'cursor', message: 'must be a non-empty string' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const searchParams = new URLSearchParams();
  if (limit !== undefined) searchParams.set('limit', String(limit));
  if (cursor !== undefined) searchParams.set('cursor', cursor);
  const what = 'Light users response';
  const body = await getJson(auth, 'v1/users', { ...signalInit(options), searchParams }, what);
  const { lightPageSchema, lightUserSchema } = await schemas();
  return parseWith(lightPageSchema(lightUserSchema), body, what);
}

function signalInit(options: LightRequestOptions): KyOptions {
  return options.signal === undefined ? {} : { signal: options.signal };
}
