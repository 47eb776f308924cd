import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { App } from './app.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { html } from './html.js';
import { HttpError, readForm, redirect, sendAsset, sendHtml, sendJson } from './http.js';
import { FAVICON, layout } from './layout.js';
import { renderHome, renderVendor, stateJson } from './render.js';
import { type Session, sessionCookie } from './session.js';
import { STYLES } from './styles.js';
import {
  commonAction,
  finishOAuth,
  isActionName,
  loginLightbug,
  type Next,
  startLightFiOAuth,
  startLightOAuth,
  useLightApiKey,
} from './vendor-actions.js';
import { isVendorId, type VendorId } from './vendor-id.js';

function securityHeaders(app: App): Record<string, string> {
  return {
    // Form posts end in a redirect to the vendors' sign-in pages, which form-action must allow.
    'Content-Security-Policy': [
      "default-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      `form-action 'self' ${app.signInOrigins.join(' ')}`.trim(),
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The callback URL carries a code: it must not travel to another site as a Referer. (Not `no-referrer`:
    // Chrome then sends `Origin: null` on form posts, which the origin check would refuse.)
    'Referrer-Policy': 'same-origin',
  };
}

/** The session of the request, created when it has none; `cookie` is set when the browser must learn it. */
async function sessionOf(
  app: App,
  req: IncomingMessage,
): Promise<{ session: Session; cookie: Record<string, string> }> {
  const found = await app.sessions.find(req.headers.cookie);
  if (found !== undefined) return { session: found, cookie: {} };
  const session = app.sessions.create();
  return { session, cookie: { 'Set-Cookie': sessionCookie(session.id, app.origin.startsWith('https:')) } };
}

function notFound(app: App, res: ServerResponse): void {
  const body = html`<section class="card"><div class="empty"><b>Not found</b>
    <a href="/">Back to the overview</a></div></section>`;
  sendHtml(
    res,
    404,
    layout({
      title: 'Not found',
      active: 'home',
      mode: app.mode,
      signedIn: { light: false, lightbug: false, lightfi: false },
      body,
    }),
  );
}

async function handleGet(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  if (path === '/assets/playground.css') return sendAsset(res, 'text/css; charset=utf-8', STYLES);
  if (path === '/assets/playground.js')
    return sendAsset(res, 'text/javascript; charset=utf-8', CLIENT_SCRIPT);
  // Browsers ask for /favicon.ico whatever the page links.
  if (path === '/assets/favicon.svg' || path === '/favicon.ico')
    return sendAsset(res, 'image/svg+xml', FAVICON);
  if (path === '/api/state')
    return sendJson(res, 200, await stateJson(app, await app.sessions.find(req.headers.cookie)));

  const events = /^\/(\w+)\/events$/.exec(path);
  if (events?.[1] !== undefined && isVendorId(events[1])) {
    const vendor: VendorId = events[1];
    const session = await app.sessions.find(req.headers.cookie);
    // 204 tells EventSource to stop: there is nothing to stream without a session.
    if (session === undefined) {
      res.writeHead(204).end();
      return;
    }
    const vendorSession = session.vendors[vendor];
    const after = Number(url.searchParams.get('after') ?? req.headers['last-event-id'] ?? 0) || 0;
    app.streams.open(req, res, vendorSession, after, () => app.drivers[vendor].tokenView(vendorSession));
    return;
  }

  const callback = app.callbacks.find((candidate) => candidate.path === path);
  const isCallback =
    callback !== undefined &&
    // The root is LightFi's callback only when the vendor sent something back; otherwise it is the overview.
    (path !== '/' || url.searchParams.has('code') || url.searchParams.has('error'));
  if (callback !== undefined && isCallback) {
    const { session, cookie } = await sessionOf(app, req);
    const next = await finishOAuth(app, session.vendors[callback.vendor], callback.vendor, url);
    return redirect(res, next.location, cookie);
  }

  if (path === '/' || (path.length > 1 && isVendorId(path.slice(1)))) {
    const { session, cookie } = await sessionOf(app, req);
    const vendor = path.slice(1);
    const page = isVendorId(vendor)
      ? await renderVendor(app, session, vendor)
      : await renderHome(app, session);
    return sendHtml(res, 200, page, cookie);
  }
  notFound(app, res);
}

async function handlePost(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // Cross-site form posts: SameSite=Lax already keeps the cookie off them; this refuses them outright.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== app.origin) throw new HttpError(403, 'Cross-origin request refused');
  const match = /^\/(\w+)\/([\w-]+)$/.exec(url.pathname);
  const vendor = match?.[1];
  const action = match?.[2];
  if (vendor === undefined || action === undefined || !isVendorId(vendor)) return notFound(app, res);
  const form = await readForm(req);
  const { session, cookie } = await sessionOf(app, req);
  const vendorSession = session.vendors[vendor];
  let next: Next | undefined;
  if (isActionName(action)) next = await commonAction(app, vendorSession, action);
  else if (vendor === 'light' && action === 'oauth') next = await startLightOAuth(app, vendorSession);
  else if (vendor === 'light' && action === 'api-key') next = await useLightApiKey(app, vendorSession, form);
  else if (vendor === 'lightbug' && action === 'login') next = await loginLightbug(app, vendorSession, form);
  else if (vendor === 'lightfi' && action === 'oauth') next = await startLightFiOAuth(app, vendorSession);
  if (next === undefined) return notFound(app, res);
  redirect(res, next.location, cookie);
}

/** The playground's HTTP interface: pages, form actions, OAuth callbacks, the event streams and the assets. */
export function createRequestHandler(app: App): RequestListener {
  const canonical = new URL(app.origin);
  const headers = securityHeaders(app);
  return (req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', app.origin);
    const handle = async () => {
      // One origin only: the session cookie and the OAuth callbacks are bound to it (and a foreign Host header
      // is how DNS rebinding would reach a loopback server).
      if (req.headers.host !== canonical.host) {
        if (req.method === 'GET' || req.method === 'HEAD')
          return redirect(res, `${app.origin}${url.pathname}${url.search}`);
        throw new HttpError(421, 'Wrong host');
      }
      if (req.method === 'GET' || req.method === 'HEAD') return handleGet(app, req, res, url);
      if (req.method === 'POST') return handlePost(app, req, res, url);
      throw new HttpError(405, 'Method not allowed');
    };
    handle().catch((error: unknown) => {
      if (!(error instanceof HttpError)) app.log(`${req.method} ${url.pathname} failed`, error);
      if (res.headersSent) {
        res.end();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'Internal error';
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
    });
  };
}
