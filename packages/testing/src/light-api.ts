import {
  type LightContext,
  type LightValidationIssue,
  lightValidationError,
  withLightAuth,
} from './light-context.js';
import { type EmulatorRequest, json, type Reply, redirect, text } from './reply.js';
import type { Router } from './router.js';

const MAX_USERS_LIMIT = 200;
const DEFAULT_USERS_LIMIT = 50;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  // Light's docs: `cursor=0` opts in to cursor pagination from the first record.
  if (cursor === '0') return 0;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const offset =
      typeof value === 'object' && value !== null ? (value as { offset?: unknown }).offset : undefined;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

function listUsers(context: LightContext, request: EmulatorRequest): Reply {
  const issues: LightValidationIssue[] = [];
  const rawLimit = request.query.get('limit');
  const limit = rawLimit === null ? DEFAULT_USERS_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || rawLimit === '') {
    issues.push({
      type: 'INVALID_TYPE',
      message: 'must be an integer',
      path: ['limit'],
      context: { value: rawLimit },
    });
  } else if (limit > MAX_USERS_LIMIT) {
    issues.push({
      type: 'MAX_VALUE',
      message: `must be less than or equal to ${MAX_USERS_LIMIT}`,
      path: ['limit'],
      context: { max: MAX_USERS_LIMIT, value: limit },
    });
  } else if (limit < 1) {
    issues.push({
      type: 'MIN_VALUE',
      message: 'must be greater than or equal to 1',
      path: ['limit'],
      context: { min: 1, value: limit },
    });
  }
  const cursor = request.query.get('cursor');
  const offset = cursor === null ? 0 : decodeCursor(cursor);
  if (offset === undefined) {
    issues.push({
      type: 'INVALID_CURSOR',
      message: 'is not a valid cursor',
      path: ['cursor'],
      context: { value: cursor },
    });
  }
  if (issues.length > 0 || offset === undefined) return lightValidationError(issues);
  const records = context.users.slice(offset, offset + limit);
  const hasMore = offset + limit < context.users.length;
  // Without a cursor the caller did not opt in to cursor pagination, so no cursors come back.
  const paged = cursor !== null;
  return json(200, {
    records,
    hasMore,
    nextCursor: paged && hasMore ? encodeCursor(offset + limit) : null,
    prevCursor: paged && offset > 0 ? encodeCursor(Math.max(0, offset - limit)) : null,
  });
}

function testRedirect(request: EmulatorRequest): Reply {
  const to = request.query.get('to');
  const status = Number(request.query.get('status') ?? '302');
  const issues: LightValidationIssue[] = [];
  if (to === null || to === '')
    issues.push({ type: 'REQUIRED', message: 'is required', path: ['to'], context: {} });
  if (!REDIRECT_STATUSES.includes(status)) {
    issues.push({
      type: 'INVALID_VALUE',
      message: `must be one of ${REDIRECT_STATUSES.join(', ')}`,
      path: ['status'],
      context: { value: request.query.get('status') },
    });
  }
  if (issues.length > 0 || to === null) return lightValidationError(issues);
  return redirect(to, status);
}

/** The body the files host serves for file `id`. */
export function lightFileContent(id: string): string {
  return `Light file ${id}\n`;
}

/** Registers Light's demo API on the main server. */
export function registerLightApiRoutes(router: Router, context: LightContext): void {
  router
    .add(
      'GET',
      '/v1/companies/current',
      withLightAuth(context, () => json(200, context.company)),
    )
    .add(
      'GET',
      '/v1/users',
      withLightAuth(context, (request) => listUsers(context, request)),
    )
    .add(
      'GET',
      '/v1/files/:id',
      withLightAuth(context, (request) =>
        redirect(`${context.filesUrl}/files/${encodeURIComponent(request.params['id'] ?? '')}`),
      ),
    )
    // A test helper, not a Light endpoint: it lets SDK tests meet a redirect to any host, allowed or not.
    .add('GET', '/v1/redirect', testRedirect);
}

/** Registers the files host, which serves a file only to a request that still carries Light credentials. */
export function registerLightFilesRoutes(router: Router, context: LightContext): void {
  router.add(
    'GET',
    '/files/:id',
    withLightAuth(context, (request) => text(200, lightFileContent(request.params['id'] ?? ''))),
  );
}
