/**
 * Lightbug's 429s (its rate-limits.md): the application sends `X-Ratelimit-Reset` (epoch seconds), which core
 * reads; the edge sends no reset but `X-Ratelimit-Window` (the window's length in seconds), and neither sends
 * `Retry-After`. Core reads only `Retry-After` and `X-RateLimit-Reset`, so a 429 that carries nothing but a window
 * is given `Retry-After: <window>` here, before core sees it: `RateLimitedError.retryAfterMs` is then the window,
 * the longest the wait can be (the edge does not say when its window started), and the usual rules apply (a wait
 * longer than `maxRetryAfterMs` fails at once instead of sleeping).
 *
 * Remove once core reads `X-Ratelimit-Window` itself.
 */
export function retryAfterFromWindow(response: Response): Response {
  if (response.status !== 429) return response;
  const { headers } = response;
  const window = headers.get('x-ratelimit-window')?.trim();
  if (
    window === undefined ||
    !/^\d+(\.\d+)?$/.test(window) ||
    headers.has('retry-after') ||
    headers.has('x-ratelimit-reset')
  ) {
    return response;
  }
  const copy = new Headers(headers);
  copy.set('retry-after', window);
  return new Response(response.body, { status: 429, statusText: response.statusText, headers: copy });
}

/**
 * `fetch` (the one given, else `globalThis.fetch`, looked up on each call so test interceptors still apply) with
 * {@link retryAfterFromWindow} applied to every answer.
 */
export function lightbugFetch(custom: typeof fetch | undefined): typeof fetch {
  return async (input, init) => retryAfterFromWindow(await (custom ?? globalThis.fetch)(input, init));
}
