import { isAuthError } from '@auth/core';
import { CliError, ExitCode } from './exit-codes.js';

/**
 * The CLI's reading of any failure: an exit status and a message for the terminal. The SDK's messages never carry
 * secrets (they are scrubbed where they are made); the CLI adds only what to do next.
 */
export function toCliError(error: unknown, vendor: string): CliError {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isAuthError(error, 'ERR_STATE_MISMATCH')) {
    return new CliError(
      ExitCode.STATE_MISMATCH,
      `${message}: the browser did not come back from the sign-in this command started (an old tab, or a forged link). Nothing was stored; run the login again`,
      { cause: error },
    );
  }
  if (isAuthError(error, 'ERR_AUTHORIZATION_DENIED')) {
    const why =
      error.error === 'access_denied' ? 'the sign-in was cancelled or consent was denied' : error.error;
    return new CliError(
      ExitCode.DENIED,
      `${vendor} did not authorize this login (${why}${error.errorDescription ? `: ${error.errorDescription}` : ''}). Nothing was stored`,
      { cause: error },
    );
  }
  if (isAuthError(error, 'ERR_REAUTH_REQUIRED')) {
    return new CliError(ExitCode.REAUTH_REQUIRED, `${message}. Run auth-sdk login again`, { cause: error });
  }
  if (isAuthError(error, 'ERR_CONFIG')) return new CliError(ExitCode.USAGE, message, { cause: error });
  if (isAuthError(error, 'ERR_STORE_UNAVAILABLE'))
    return new CliError(ExitCode.FAILED, `The store is unavailable: ${message}`);
  if (isAuthError(error, 'ERR_TOKEN_ENDPOINT')) {
    return new CliError(ExitCode.FAILED, `${vendor} refused: ${message}`, { cause: error });
  }
  if (isAuthError(error)) return new CliError(ExitCode.FAILED, message, { cause: error });
  return new CliError(ExitCode.FAILED, message, { cause: error });
}
