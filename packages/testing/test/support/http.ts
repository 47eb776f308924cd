/** POSTs `fields` as `application/x-www-form-urlencoded`. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  init: { headers?: Record<string, string>; redirect?: RequestRedirect } = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...init.headers },
    body: new URLSearchParams(fields).toString(),
    redirect: init.redirect ?? 'follow',
  });
}

/** POSTs `body` as JSON. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The value of the hidden input `name` in an HTML form. */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(page);
  if (match?.[1] === undefined) throw new Error(`no hidden field '${name}' in page`);
  return match[1];
}

/** `HTTP Basic` credentials as Cognito expects them: each part form-urlencoded, then base64. */
export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A JSON body typed loosely enough to assert on. */
export async function readJson(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
