import * as z from 'zod/mini';
import { AUTH_OPTION_RULES, type AuthOptions, type OptionRule } from './auth-options.js';

/** One option of {@link authOptionsSchema}: optional, checked by its rule. */
const fromRule = <T>(check: OptionRule) =>
  z.optional(
    z.unknown().check((ctx) => {
      const message = check(ctx.value);
      if (message !== undefined) ctx.issues.push({ code: 'custom', message, input: ctx.value });
    }),
  ) as unknown as z.ZodMiniOptional<z.ZodMiniType<T>>;

/**
 * {@link AuthOptions} as a zod/mini object schema, built from the same rules as `checkAuthOptions` (its messages
 * are theirs). For a vendor that writes its options schema with zod: `z.object({ ...authOptionsSchema.shape, … })`.
 * Unknown keys are left to the factory (it knows its own options).
 */
export const authOptionsSchema = z.object({
  baseUrl: fromRule<string>(AUTH_OPTION_RULES.baseUrl),
  store: fromRule<NonNullable<AuthOptions['store']>>(AUTH_OPTION_RULES.store),
  storeKey: fromRule<string>(AUTH_OPTION_RULES.storeKey),
  fetch: fromRule<typeof fetch>(AUTH_OPTION_RULES.fetch),
  clock: fromRule<NonNullable<AuthOptions['clock']>>(AUTH_OPTION_RULES.clock),
  refreshWindowMs: fromRule<number>(AUTH_OPTION_RULES.refreshWindowMs),
  lockTtlMs: fromRule<number>(AUTH_OPTION_RULES.lockTtlMs),
  lockWaitMs: fromRule<number>(AUTH_OPTION_RULES.lockWaitMs),
  tokenTimeoutMs: fromRule<number>(AUTH_OPTION_RULES.tokenTimeoutMs),
  minRefreshIntervalMs: fromRule<number>(AUTH_OPTION_RULES.minRefreshIntervalMs),
});
