import { ConfigError } from '@auth/core';
import type { App } from './app.js';
import { toErrorView } from './error-view.js';
import { DEFAULT_REFRESHABLE } from './pages/lightbug.js';
import type { VendorSession } from './session.js';
import type { VendorId } from './vendor-id.js';
import { VENDOR_INFO } from './vendor-info.js';

/** Where the browser goes next: back to the vendor page, or off to a sign-in page. */
export type Next = { readonly location: string };

const backTo = (vendor: VendorId): Next => ({ location: `/${vendor}` });

/**
 * Runs one user action. Success and failure both end on the vendor page (post/redirect/get); an SDK error becomes
 * the banner and a log line.
 */
export async function runAction(
  app: App,
  session: VendorSession,
  action: () => Promise<Next | string | undefined>,
): Promise<Next> {
  try {
    const outcome = await action();
    if (typeof outcome === 'string') session.flash = { kind: 'notice', text: outcome };
    return typeof outcome === 'object' ? outcome : backTo(session.vendor);
  } catch (error) {
    const view = toErrorView(error);
    if (view.code === 'ERR_UNEXPECTED') app.log(`${session.vendor}: unexpected failure`, error);
    session.flash = { kind: 'error', error: view };
    session.log.append({
      source: 'app',
      event: 'error',
      level: 'error',
      summary: `${view.name}: ${view.message}`,
      details: [['code', view.code]],
    });
    return backTo(session.vendor);
  }
}

type ActionName = 'call' | 'expire' | 'refresh' | 'sign-out';

export function isActionName(value: string): value is ActionName {
  return value === 'call' || value === 'expire' || value === 'refresh' || value === 'sign-out';
}

/** The buttons every vendor page has once signed in. */
export function commonAction(app: App, session: VendorSession, name: ActionName): Promise<Next> {
  const driver = app.drivers[session.vendor];
  const name_ = VENDOR_INFO[session.vendor].name;
  return runAction(app, session, async () => {
    switch (name) {
      case 'call': {
        const started = performance.now();
        const call = await driver.callResource(session);
        const durationMs = Math.round(performance.now() - started);
        session.result = { request: call.request, at: Date.now(), durationMs, body: call.body };
        session.log.append({
          source: 'app',
          event: 'request',
          level: 'info',
          summary: `${call.request} answered 200`,
          details: [['took', `${durationMs} ms`]],
        });
        return undefined;
      }
      case 'expire':
        await driver.forceExpiry(session);
        session.log.append({
          source: 'app',
          event: 'expire',
          level: 'info',
          summary: 'Marked the stored access token as expired',
          details: [],
        });
        return 'The access token is now expired: the next call refreshes it first.';
      case 'refresh':
        await driver.refreshNow(session);
        return 'Refreshed.';
      case 'sign-out':
        await driver.signOut(session);
        session.result = undefined;
        session.log.append({
          source: 'app',
          event: 'sign-out',
          level: 'info',
          summary: 'Signed out',
          details: [],
        });
        return `Signed out of ${name_}.`;
    }
  });
}

function signedIn(session: VendorSession, how: string): string {
  session.log.append({
    source: 'app',
    event: 'sign-in',
    level: 'success',
    summary: `Signed in (${how})`,
    details: [],
  });
  return `Signed in to ${VENDOR_INFO[session.vendor].name}.`;
}

function redirecting(session: VendorSession, to: string, location: string): Next {
  session.log.append({
    source: 'app',
    event: 'sign-in',
    level: 'info',
    summary: `Sent the browser to ${to}`,
    details: [['host', new URL(location).host]],
  });
  return { location };
}

export function startLightOAuth(app: App, session: VendorSession): Promise<Next> {
  return runAction(app, session, async () =>
    redirecting(session, "Light's consent page", await app.drivers.light.startOAuth(session)),
  );
}

export function startLightFiOAuth(app: App, session: VendorSession): Promise<Next> {
  return runAction(app, session, async () =>
    redirecting(session, "LightFi's hosted sign-in", await app.drivers.lightfi.startOAuth(session)),
  );
}

export function finishOAuth(
  app: App,
  session: VendorSession,
  vendor: 'light' | 'lightfi',
  url: URL,
): Promise<Next> {
  return runAction(app, session, async () => {
    await app.drivers[vendor].finishOAuth(session, url);
    return signedIn(session, vendor === 'light' ? 'OAuth 2.0' : 'OAuth 2.0 with PKCE');
  });
}

export function useLightApiKey(app: App, session: VendorSession, form: URLSearchParams): Promise<Next> {
  return runAction(app, session, async () => {
    const apiKey = form.get('apiKey')?.trim() ?? '';
    if (apiKey === '') throw new ConfigError([{ option: 'apiKey', message: 'enter an API key' }]);
    await app.drivers.light.useApiKey(session, apiKey);
    return signedIn(session, 'API key, checked against GET /v1/companies/current');
  });
}

export function loginLightbug(app: App, session: VendorSession, form: URLSearchParams): Promise<Next> {
  return runAction(app, session, async () => {
    const username = form.get('username')?.trim() ?? '';
    const password = form.get('password') ?? '';
    const refreshable = Number(form.get('refreshable') ?? DEFAULT_REFRESHABLE);
    const issues = [
      ...(username === '' ? [{ option: 'username', message: 'enter your username or email' }] : []),
      ...(password === '' ? [{ option: 'password', message: 'enter your password' }] : []),
    ];
    if (issues.length > 0) throw new ConfigError(issues);
    // The SDK validates `refreshable` itself (whole seconds, 1..31 days).
    await app.drivers.lightbug.login(session, { username, password, refreshable });
    return signedIn(session, 'v2 login');
  });
}
