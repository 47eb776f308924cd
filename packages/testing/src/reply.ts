/** A request as the emulators' handlers see it: fully read, with lower-case header names. */
export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly params: Readonly<Record<string, string>>;
  readonly remoteAddress: string;
}

/**
 * An answer as plain data. Handlers return it rather than writing to the socket so that faults such as
 * `truncated` and `drop-after-processing` can run the real handler and then decide how much of it to send.
 */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Handles one request. */
export type Handler = (request: EmulatorRequest) => Reply | Promise<Reply>;

/** Content types the vendors are seen to send; each vendor's stack spells JSON differently. */
export const CONTENT_TYPE = {
  /** Spring (Light's token endpoint) and Cognito. */
  jsonCharsetUpper: 'application/json;charset=UTF-8',
  /** Express / LoopBack (Lightbug). */
  jsonCharsetLower: 'application/json; charset=utf-8',
  /** FastAPI (LightFi) and Light's API. */
  json: 'application/json',
  text: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/** A JSON answer. */
export function json(
  status: number,
  value: unknown,
  options: { contentType?: string; headers?: Record<string, string> } = {},
): Reply {
  return {
    status,
    headers: { 'Content-Type': options.contentType ?? CONTENT_TYPE.json, ...options.headers },
    body: JSON.stringify(value),
  };
}

/** A plain-text answer. */
export function text(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': CONTENT_TYPE.text, ...headers }, body };
}

/** An HTML page. */
export function html(status: number, body: string): Reply {
  return {
    status,
    headers: { 'Content-Type': CONTENT_TYPE.html, 'Cache-Control': 'no-store' },
    body,
  };
}

/** A redirect to `location`. */
export function redirect(location: string, status = 302): Reply {
  return { status, headers: { Location: location }, body: '' };
}

/** An answer with no body. */
export function empty(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: '' };
}

/** `base` with `params` added to its query string (undefined values left out). */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
