import { readFile } from 'node:fs/promises';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { isCommonAction } from './actions.js';
import type { App } from './app.js';
import { renderHome, renderNotFound, renderVendor, stateJson } from './render.js';
import { SESSION_COOKIE, type Session } from './session.js';
import {
  commonAction,
  type Form,
  finishOAuth,
  followLightRedirect,
  loginLightbug,
  type Next,
  startLightFiOAuth,
  startLightOAuth,
  useLightApiKey,
} from './vendor-actions.js';
import { isVendorId } from './vendor-id.js';

/** Request bodies here are small forms; anything bigger is not one of ours. */
const MAX_FORM_BYTES = 16 * 1024;

interface Asset {
  readonly type: string;
  readonly body: string;
}

/**
 * The built assets (`pnpm build` bundles the browser script and copies the stylesheet into `dist/assets/`). The
 * path is the same from `src/` (tests) and `dist/` (the app): both sit one level under the package.
 */
async function loadAssets(): Promise<Record<string, Asset>> {
  const dir = new URL('../dist/assets/', import.meta.url);
  const read = (name: string) =>
    readFile(new URL(name, dir), 'utf8').catch((error: unknown) => {
      throw new Error(`${name} is missing from dist/assets: run \`pnpm --filter playground build\` first`, {
        cause: error,
      });
    });
  const [css, js, icon] = await Promise.all([
    read('playground.css'),
    read('playground.js'),
    read('favicon.svg'),
  ]);
  return {
    '/assets/playground.css': { type: 'text/css; charset=utf-8', body: css },
    '/assets/playground.js': { type: 'text/javascript; charset=utf-8', body: js },
    '/assets/favicon.svg': { type: 'image/svg+xml', body: icon },
    // Browsers ask for /favicon.ico whatever the page links.
    '/favicon.ico': { type: 'image/svg+xml', body: icon },
  };
}

interface Env {
  Variables: { session: Session | undefined };
}

/**
 * The playground's HTTP interface on Hono: pages (JSX), actions (a form post answered with a 303, or JSON for
 * the page's script), the OAuth callbacks, the event streams (SSE) and the assets.
 */
export async function createRoutes(app: App): Promise<Hono<Env>> {
  const assets = await loadAssets();
  const canonical = new URL(app.origin);
  const secure = app.origin.startsWith('https:');
  const routes = new Hono<Env>();

  routes.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    app.log(`${c.req.method} ${c.req.path} failed`, error);
    return c.text('Internal error', 500);
  });
  routes.notFound(async (c) => c.html(await renderNotFound(app), 404));

  // One origin only: the session cookie and the OAuth callbacks are bound to it (and a foreign Host header is how
  // DNS rebinding would reach a loopback server).
  routes.use(async (c, next) => {
    if (c.req.header('host') === canonical.host) return next();
    const url = new URL(c.req.url);
    if (c.req.method === 'GET' || c.req.method === 'HEAD')
      return c.redirect(`${app.origin}${url.pathname}${url.search}`, 303);
    return c.text('Wrong host', 421);
  });
  routes.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        // Sign-in forms end in a redirect to the vendors' sign-in pages, which form-action must allow.
        formAction: ["'self'", ...app.signInOrigins],
      },
      xFrameOptions: 'DENY',
      // The callback URL carries a code: it must not travel to another site as a Referer. (Not `no-referrer`:
      // Chrome then sends `Origin: null` on form posts, which the origin check would refuse.)
      referrerPolicy: 'same-origin',
      strictTransportSecurity: false,
      crossOriginOpenerPolicy: 'same-origin',
    }),
  );
  // Cross-site form posts: SameSite=Lax already keeps the cookie off them; this refuses them outright.
  routes.use(csrf({ origin: app.origin }));
  routes.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  routes.use(async (c, next) => {
    c.set('session', await app.sessions.find(c.req.header('cookie')));
    await next();
  });

  /** The request's session, created (and its cookie set) when it has none. */
  function sessionOf(c: Context<Env>): Session {
    const found = c.get('session');
    if (found !== undefined) return found;
    const session = app.sessions.create();
    c.set('session', session);
    setCookie(c, SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'Lax', secure });
    return session;
  }

  for (const [path, asset] of Object.entries(assets)) {
    routes.get(path, (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.body(asset.body, 200, { 'Content-Type': asset.type });
    });
  }

  routes.get('/api/state', async (c) => c.json(await stateJson(app, c.get('session'))));

  routes.get('/:vendor/events', async (c) => {
    const vendor = c.req.param('vendor');
    if (!isVendorId(vendor)) return c.notFound();
    const session = c.get('session');
    // 204 tells EventSource to stop: there is nothing to stream without a session.
    if (session === undefined) return c.body(null, 204);
    const vendorSession = session.vendors[vendor];
    const after = Number(c.req.query('after') ?? c.req.header('last-event-id') ?? 0) || 0;
    return app.streams.open(c, vendorSession, after, () => app.drivers[vendor].tokenView(vendorSession));
  });

  for (const callback of app.callbacks) {
    routes.get(callback.path, async (c, next) => {
      const url = new URL(c.req.url);
      // The root is LightFi's callback only when the vendor sent something back; otherwise it is the overview.
      if (callback.path === '/' && !url.searchParams.has('code') && !url.searchParams.has('error'))
        return next();
      const session = sessionOf(c);
      const target = await finishOAuth(app, session.vendors[callback.vendor], callback.vendor, url);
      return c.redirect(target.location, 303);
    });
  }

  routes.get('/', async (c) => c.html(await renderHome(app, sessionOf(c))));
  routes.get('/:vendor', async (c) => {
    const vendor = c.req.param('vendor');
    if (!isVendorId(vendor)) return c.notFound();
    return c.html(await renderVendor(app, sessionOf(c), vendor));
  });

  routes.post('/:vendor/:action', bodyLimit({ maxSize: MAX_FORM_BYTES }), async (c) => {
    const vendor = c.req.param('vendor');
    const action = c.req.param('action');
    if (!isVendorId(vendor)) return c.notFound();
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return c.text('Expected a form', 415);
    const form: Form = Object.fromEntries(
      Object.entries(await c.req.parseBody()).flatMap(([name, value]) =>
        typeof value === 'string' ? [[name, value]] : [],
      ),
    );
    const session = sessionOf(c);
    const vendorSession = session.vendors[vendor];
    let next: Next | undefined;
    if (isCommonAction(action)) next = await commonAction(app, vendorSession, action);
    else if (vendor === 'light' && action === 'oauth') next = await startLightOAuth(app, vendorSession);
    else if (vendor === 'light' && action === 'redirect' && app.drivers.light.target.emulator)
      next = await followLightRedirect(app, vendorSession);
    else if (vendor === 'light' && action === 'api-key')
      next = await useLightApiKey(app, vendorSession, form);
    else if (vendor === 'lightbug' && action === 'login')
      next = await loginLightbug(app, vendorSession, form);
    else if (vendor === 'lightfi' && action === 'oauth') next = await startLightFiOAuth(app, vendorSession);
    if (next === undefined) return c.notFound();
    // The page's script asks for JSON: it swaps the page in place instead of following a redirect.
    if (c.req.header('accept')?.includes('application/json') === true) {
      const stays = next.location === `/${vendor}`;
      return c.json(stays ? { page: await renderVendor(app, session, vendor) } : { location: next.location });
    }
    return c.redirect(next.location, 303);
  });

  return routes;
}
