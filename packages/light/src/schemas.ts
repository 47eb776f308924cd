import type { Schema } from '@auth/core/adapter';
import * as z from 'zod/mini';

const nonEmpty = () => z.string().check(z.minLength(1, 'must be a non-empty string'));

const nullableString = z.pipe(
  z.nullish(z.string()),
  z.transform((value: string | null | undefined) => value ?? null),
);

/**
 * `GET /v1/companies/current`. Light documents the field names only: the emails and the logo may be unset, so they
 * are nullable (an absent one reads as `null`); unknown fields pass through.
 */
export const lightCompanySchema = z.looseObject({
  id: nonEmpty(),
  name: z.string(),
  invoiceEmail: nullableString,
  receiptEmail: nullableString,
  contractEmail: nullableString,
  logoUrl: nullableString,
  /** ISO 4217 code, e.g. `EUR`. */
  baseCurrency: nonEmpty(),
  /** ISO 8601 timestamp, as Light sends it. */
  createdAt: z.string(),
  /** ISO 8601 timestamp, as Light sends it. */
  updatedAt: z.string(),
});

/** The company the credentials belong to. */
export type LightCompany = z.output<typeof lightCompanySchema>;

/** One record of `GET /v1/users`. Light documents only the list shape: `id` is required, the rest is assumed. */
export const lightUserSchema = z.looseObject({
  id: nonEmpty(),
  email: z.nullish(z.string()),
  firstName: z.nullish(z.string()),
  lastName: z.nullish(z.string()),
  status: z.nullish(z.string()),
  createdAt: z.nullish(z.string()),
  updatedAt: z.nullish(z.string()),
});

/** A user of the company. */
export type LightUser = z.output<typeof lightUserSchema>;

/**
 * Light's list envelope, `{records, hasMore, nextCursor, prevCursor}`; cursors are `null` at either end. `record` is
 * any zod 4 schema, classic (`zod`) or `zod/mini`.
 */
export function lightPageSchema<T extends Schema>(record: T) {
  return z.object({
    records: z.array(record),
    hasMore: z.boolean(),
    nextCursor: nullableString,
    prevCursor: nullableString,
  });
}

/** One page of a Light list. */
export interface LightPage<T> {
  records: T[];
  /** Whether records follow this page. */
  hasMore: boolean;
  /** Pass as `cursor` for the next page; `null` on the last page or without cursor pagination. */
  nextCursor: string | null;
  /** Pass as `cursor` for the previous page; `null` on the first page. */
  prevCursor: string | null;
}
