import type { EmulatorClock } from './clock.js';

/** A family of tokens descended from one grant (one code exchange, one login), as a test sees it. */
export interface TokenFamilySnapshot {
  readonly id: string;
  /** The user (or, for client credentials, the client) the tokens act for. */
  readonly subject: string;
  readonly clientId: string;
  /** When the grant was made, epoch ms on the emulator clock. */
  readonly createdAt: number;
  readonly revoked: boolean;
  /** Why the family was revoked: `refresh-token-reuse`, `code-reuse`, `revoked-by-test`, ... */
  readonly revokedReason: string | undefined;
  /** Every access token of the family, oldest first. */
  readonly accessTokens: readonly string[];
  /** Every refresh token of the family, oldest first; the last one is the current one when rotation is on. */
  readonly refreshTokens: readonly string[];
}

/**
 * What a test can ask an emulator about the tokens it issued. `G` names the kinds of token requests the vendor has
 * (`'authorization_code' | 'refresh_token'` for Light, `'login' | 'refresh' | 'v1-login'` for Lightbug, ...).
 */
export interface TokenInspector<G extends string> {
  /** How many token requests of kind `grant` were processed (successful or not); with no argument, all of them. */
  requestCount(grant?: G): number;
  /** Every refresh token ever issued, oldest first. */
  issuedRefreshTokens(): string[];
  /** Every access token ever issued, oldest first. */
  issuedAccessTokens(): string[];
  /** Refresh tokens that were presented again after they had been used, in the order that happened. */
  reusedRefreshTokens(): string[];
  /** Refresh tokens that would be accepted now: not used (when they rotate), not revoked, not expired. */
  validRefreshTokens(): string[];
  /** Access tokens that would be accepted now. */
  validAccessTokens(): string[];
  /** Whether `token` (access or refresh) was revoked, alone or with its whole family. */
  isRevoked(token: string): boolean;
  /** Whether the family `token` belongs to was revoked as a whole. */
  isFamilyRevoked(token: string): boolean;
  /** The family `token` belongs to. */
  familyOf(token: string): TokenFamilySnapshot | undefined;
  /** Every family, oldest first. */
  families(): TokenFamilySnapshot[];
  /** Revokes the whole family of `token`, as when a user withdraws an app's access; false if it is unknown. */
  revokeFamily(token: string): boolean;
}

/** One issued token. */
export interface TokenRecord {
  readonly value: string;
  readonly kind: 'access' | 'refresh';
  readonly familyId: string;
  readonly issuedAt: number;
  /** Epoch ms; undefined = never expires. */
  readonly expiresAt: number | undefined;
  usedAt: number | undefined;
  revokedAt: number | undefined;
  /** Anything the vendor wants to remember with the token (scope, the refreshable window, ...). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** One grant and everything issued from it. */
export interface TokenFamily {
  readonly id: string;
  readonly subject: string;
  readonly clientId: string;
  readonly createdAt: number;
  revokedAt: number | undefined;
  revokedReason: string | undefined;
  readonly tokens: TokenRecord[];
  readonly data: Record<string, unknown>;
}

/** The state of a presented token, checked in the order that tells the client the most. */
export type TokenLookup =
  | { status: 'unknown' }
  | { status: 'valid' | 'used' | 'revoked' | 'expired'; token: TokenRecord; family: TokenFamily };

/**
 * The record of every token an emulator issued, grouped in families so that reuse of a rotated refresh token can
 * revoke everything descended from the same grant (OAuth 2.0 Security BCP §4.14).
 */
export class TokenLedger<G extends string> implements TokenInspector<G> {
  readonly #clock: EmulatorClock;
  readonly #families = new Map<string, TokenFamily>();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #requests = new Map<string, number>();
  readonly #reused: string[] = [];
  #nextFamily = 1;

  constructor(clock: EmulatorClock) {
    this.#clock = clock;
  }

  /** Counts one processed token request of kind `grant`. */
  countRequest(grant: G): void {
    this.#requests.set(grant, (this.#requests.get(grant) ?? 0) + 1);
  }

  requestCount(grant?: G): number {
    if (grant !== undefined) return this.#requests.get(grant) ?? 0;
    let total = 0;
    for (const count of this.#requests.values()) total += count;
    return total;
  }

  /** Starts a family for a new grant. */
  createFamily(subject: string, clientId: string, data: Record<string, unknown> = {}): TokenFamily {
    const family: TokenFamily = {
      id: `family-${this.#nextFamily++}`,
      subject,
      clientId,
      createdAt: this.#clock.now(),
      revokedAt: undefined,
      revokedReason: undefined,
      tokens: [],
      data,
    };
    this.#families.set(family.id, family);
    return family;
  }

  /** Records a token issued in `family`, living `ttlMs` from now (undefined = forever). */
  issue(
    family: TokenFamily,
    kind: 'access' | 'refresh',
    value: string,
    ttlMs: number | undefined,
    data: Record<string, unknown> = {},
  ): TokenRecord {
    const now = this.#clock.now();
    const record: TokenRecord = {
      value,
      kind,
      familyId: family.id,
      issuedAt: now,
      expiresAt: ttlMs === undefined ? undefined : now + ttlMs,
      usedAt: undefined,
      revokedAt: undefined,
      data,
    };
    family.tokens.push(record);
    this.#tokens.set(value, record);
    return record;
  }

  /**
   * Classifies a presented token without changing anything. `used` (only meaningful for rotating refresh tokens)
   * comes first so that reuse is detected even after the family was revoked.
   */
  lookup(value: string, kind: 'access' | 'refresh'): TokenLookup {
    const token = this.#tokens.get(value);
    const family = token && this.#families.get(token.familyId);
    if (token === undefined || family === undefined || token.kind !== kind) return { status: 'unknown' };
    if (token.usedAt !== undefined) return { status: 'used', token, family };
    if (token.revokedAt !== undefined || family.revokedAt !== undefined)
      return { status: 'revoked', token, family };
    if (token.expiresAt !== undefined && this.#clock.now() >= token.expiresAt) {
      return { status: 'expired', token, family };
    }
    return { status: 'valid', token, family };
  }

  /** Marks a rotating refresh token as spent. */
  markUsed(token: TokenRecord): void {
    token.usedAt = this.#clock.now();
  }

  /**
   * Records that a spent refresh token came back and, unless told otherwise, revokes its family (OAuth 2.0
   * Security BCP §4.14); Cognito refuses the token without revoking the others.
   */
  reportReuse(token: TokenRecord, family: TokenFamily, options: { revokeFamily?: boolean } = {}): void {
    this.#reused.push(token.value);
    if (options.revokeFamily ?? true) this.#revoke(family, 'refresh-token-reuse');
  }

  /** Revokes one token, leaving the rest of its family alone. */
  revokeToken(token: TokenRecord): void {
    token.revokedAt ??= this.#clock.now();
  }

  /** Revokes `family` and so every token in it. */
  revokeFamilyRecord(family: TokenFamily, reason: string): void {
    this.#revoke(family, reason);
  }

  /** The family with id `id`. */
  family(id: string): TokenFamily | undefined {
    return this.#families.get(id);
  }

  #revoke(family: TokenFamily, reason: string): void {
    if (family.revokedAt !== undefined) return;
    family.revokedAt = this.#clock.now();
    family.revokedReason = reason;
  }

  #values(kind: 'access' | 'refresh', status?: 'valid'): string[] {
    const values: string[] = [];
    for (const token of this.#tokens.values()) {
      if (token.kind !== kind) continue;
      if (status === undefined || this.lookup(token.value, kind).status === status) values.push(token.value);
    }
    return values;
  }

  issuedRefreshTokens(): string[] {
    return this.#values('refresh');
  }

  issuedAccessTokens(): string[] {
    return this.#values('access');
  }

  reusedRefreshTokens(): string[] {
    return [...this.#reused];
  }

  validRefreshTokens(): string[] {
    return this.#values('refresh', 'valid');
  }

  validAccessTokens(): string[] {
    return this.#values('access', 'valid');
  }

  isRevoked(token: string): boolean {
    const record = this.#tokens.get(token);
    return record !== undefined && (record.revokedAt !== undefined || this.isFamilyRevoked(token));
  }

  isFamilyRevoked(token: string): boolean {
    const record = this.#tokens.get(token);
    return record !== undefined && this.#families.get(record.familyId)?.revokedAt !== undefined;
  }

  familyOf(token: string): TokenFamilySnapshot | undefined {
    const record = this.#tokens.get(token);
    const family = record && this.#families.get(record.familyId);
    return family && snapshot(family);
  }

  families(): TokenFamilySnapshot[] {
    return [...this.#families.values()].map(snapshot);
  }

  revokeFamily(token: string): boolean {
    const record = this.#tokens.get(token);
    const family = record && this.#families.get(record.familyId);
    if (family === undefined) return false;
    this.#revoke(family, 'revoked-by-test');
    return true;
  }

  /** Forgets everything. */
  clear(): void {
    this.#families.clear();
    this.#tokens.clear();
    this.#requests.clear();
    this.#reused.length = 0;
  }
}

function snapshot(family: TokenFamily): TokenFamilySnapshot {
  return {
    id: family.id,
    subject: family.subject,
    clientId: family.clientId,
    createdAt: family.createdAt,
    revoked: family.revokedAt !== undefined,
    revokedReason: family.revokedReason,
    accessTokens: family.tokens.filter((token) => token.kind === 'access').map((token) => token.value),
    refreshTokens: family.tokens.filter((token) => token.kind === 'refresh').map((token) => token.value),
  };
}
