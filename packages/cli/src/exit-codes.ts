/**
 * The exit status of every `auth-sdk` command, so scripts can tell failures apart.
 *
 * @example
 * ```sh
 * auth-sdk refresh --store file:/var/lib/app/tokens || [ $? -eq 8 ] && echo "sign in again"
 * ```
 */
export const ExitCode = {
  /** The command did what it was asked. */
  OK: 0,
  /** The vendor refused (bad client credentials, wrong password, an error answer), or the network failed. */
  FAILED: 1,
  /** A bad flag, a missing option or secret, an unusable store: nothing was sent. */
  USAGE: 2,
  /** The loopback port of the redirect URI is taken by another program. */
  PORT_IN_USE: 3,
  /** The browser came back with a `state` other than the one this login sent (nothing was exchanged). */
  STATE_MISMATCH: 4,
  /** The user declined at the vendor's consent or sign-in page (`error=access_denied`, or another `error`). */
  DENIED: 5,
  /** Nobody came back to the redirect URI within `--timeout`. */
  TIMEOUT: 6,
  /** No grant is stored under the key. */
  NOT_FOUND: 7,
  /** The grant is gone (refresh token expired, revoked or spent): run `auth-sdk login` again. */
  REAUTH_REQUIRED: 8,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI explains itself: `message` is printed as it is, and the process exits with `exitCode`. */
export class CliError extends Error {
  override name = 'CliError' as const;
  /** The process exit status. */
  readonly exitCode: ExitCodeValue;

  constructor(exitCode: ExitCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}
