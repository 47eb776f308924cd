import { isAuthError } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightAuth, getCurrentCompany, listUsers } from '../src/index.js';
import { API, API_KEY, COMPANY, rejectionOf } from './support/fake-light.js';

const auth = () => createLightAuth({ apiKey: API_KEY });

describe('getCurrentCompany', () => {
  it('returns the validated company; unknown fields pass through; absent optional fields read as null', async () => {
    const { contractEmail: _c, logoUrl: _l, ...rest } = COMPANY;
    nock(API)
      .get('/v1/companies/current')
      .reply(200, { ...rest, country: 'DE' });
    expect(await getCurrentCompany(auth())).toEqual({
      ...rest,
      contractEmail: null,
      logoUrl: null,
      country: 'DE',
    });
  });

  it.each([
    [{ ...COMPANY, name: 42 }, 'name'],
    [{ ...COMPANY, id: '' }, 'id'],
    [{ ...COMPANY, baseCurrency: undefined }, 'baseCurrency'],
    [{ ...COMPANY, invoiceEmail: 5 }, 'invoiceEmail'],
    [[COMPANY], '(body)'],
  ])('a malformed body is a ResponseValidationError naming the field (%#)', async (body, path) => {
    nock(API).get('/v1/companies/current').reply(200, body);
    const error = await rejectionOf(getCurrentCompany(auth()));
    expect(isAuthError(error, 'ERR_RESPONSE_VALIDATION')).toBe(true);
    expect(error).toMatchObject({ path });
    expect(error.message.startsWith(`Invalid Light company response: ${path}: `)).toBe(true);
  });

  it('an empty or HTML 200 body is a ResponseValidationError on (body)', async () => {
    nock(API)
      .get('/v1/companies/current')
      .reply(200, '<!doctype html><p>maintenance</p>', { 'Content-Type': 'text/html' });
    const error = await rejectionOf(getCurrentCompany(auth()));
    expect(error.message).toBe('Invalid Light company response: (body): is HTML, not JSON');
  });

  it('passes an AbortSignal on', async () => {
    nock(API).get('/v1/companies/current').delay(500).reply(200, COMPANY);
    const controller = new AbortController();
    const pending = getCurrentCompany(auth(), { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('listUsers', () => {
  const user = (n: number) => ({
    id: `u-${n}`,
    email: `u${n}@acme.example`,
    firstName: 'A',
    lastName: 'B',
    status: 'ACTIVE',
  });

  it('sends limit and cursor and returns the page', async () => {
    let query = '';
    nock(API)
      .get('/v1/users')
      .query(true)
      .reply(async (req: Request) => {
        query = new URL(req.url).search;
        return [200, { records: [user(1), user(2)], hasMore: true, nextCursor: 'c2', prevCursor: null }];
      });
    expect(await listUsers(auth(), { limit: 2, cursor: '0' })).toEqual({
      records: [user(1), user(2)],
      hasMore: true,
      nextCursor: 'c2',
      prevCursor: null,
    });
    expect(query).toBe('?limit=2&cursor=0');
  });

  it('sends no query without options', async () => {
    let query = 'unset';
    nock(API)
      .get('/v1/users')
      .reply(async (req: Request) => {
        query = new URL(req.url).search;
        return [200, { records: [], hasMore: false, nextCursor: null, prevCursor: null }];
      });
    await listUsers(auth());
    expect(query).toBe('');
  });

  it.each([[0], [201], [1.5], [Number.NaN]])('rejects limit %s before any request', async (limit) => {
    const error = await rejectionOf(listUsers(auth(), { limit }));
    expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
    expect(error).toMatchObject({
      issues: [{ option: 'limit', message: 'must be an integer from 1 to 200' }],
    });
  });

  it('accepts limit 200', async () => {
    nock(API)
      .get('/v1/users')
      .query({ limit: '200' })
      .reply(200, { records: [], hasMore: false, nextCursor: null, prevCursor: null });
    await expect(listUsers(auth(), { limit: 200 })).resolves.toMatchObject({ hasMore: false });
  });

  it('a record without id is a ResponseValidationError naming records.N.id', async () => {
    nock(API)
      .get('/v1/users')
      .reply(200, { records: [user(1), { email: 'x' }], hasMore: false, nextCursor: null, prevCursor: null });
    const error = await rejectionOf(listUsers(auth()));
    expect(error).toMatchObject({ name: 'ResponseValidationError', path: 'records.1.id' });
  });

  it('a missing hasMore is a ResponseValidationError naming it', async () => {
    nock(API).get('/v1/users').reply(200, { records: [] });
    const error = await rejectionOf(listUsers(auth()));
    expect(error).toMatchObject({ name: 'ResponseValidationError', path: 'hasMore' });
  });
});
