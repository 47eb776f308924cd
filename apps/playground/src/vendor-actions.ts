import { ConfigError } from '@auth/core';
import type { ActionName, CommonActionName } from './actions.js';
import type { App } from './app.js';
import { type ErrorView, toErrorView } from './error-view.js';
import type { LogInput } from './event-log.js';
import { DEFAULT_REFRESHABLE } from './pages/lightbug.js';
import type { VendorSession } from './session.js';
import type { VendorId } from './vendor-id.js';
import { VENDOR_INFO } from './vendor-info.js';

/** Where the browser goes next: back to the vendor page, or off to a sign-in page. */
export type Next = { readonly location: string };

/** What an action returns: where to go, a notice for the page, and the log line that closes it. */
interface Outcome {
  readonly next?: Next | undefined;
  readonly notice?: string | undefined;
  readonly entry?: Omit<LogInput, 'source' | 'requests'> | undefined;
}

/** A form field as the route read it. */
export type Form = Readonly<Record<string, string | undefined>>;

const backTo = (vendor: VendorId): Next => ({ location: `/${vendor}` });

/**
 * Runs one user action. Success and failure both end on the vendor page (post/redirect/get); an SDK error becomes
 * the banner and a log line. While it runs, SDK events are worded by it; the exchanges no SDK event accounted for
 * (the API call itself, logout, revoke) are linked to the log line that closes it.
 */
export async function runAction(
  app: App,
  session: VendorSession,
  name: ActionName,
  action: () => Promise<Outcome>,
  errorTitle?: (view: ErrorView) => string | undefined,
): Promise<Next> {
  const running = { name, afterId: session.log.lastId };
  session.running = running;
  session.lastAction = name;
  const close = (entry: Omit<LogInput, 'source' | 'requests'>) => {
    const requests = session.log.claimable(() => true, running.afterId);
    session.log.append({ ...entry, source: 'app', ...(requests.length === 0 ? {} : { requests }) });
  };
  try {
    const outcome = await action();
    if (outcome.notice !== undefined) session.flash = { kind: 'notice', text: outcome.notice };
    if (outcome.entry !== undefined) close(outcome.entry);
    return outcome.next ?? backTo(session.vendor);
  } catch (error) {
    const base = toErrorView(error);
    const view = { ...base, title: errorTitle?.(base) ?? base.title };
    if (view.code === 'ERR_UNEXPECTED') app.log(`${session.vendor}: unexpected failure`, error);
    session.flash = { kind: 'error', error: view };
    close({
      event: 'error',
      level: 'error',
      summary: `${view.name}: ${view.message}`,
      details: [['code', view.code]],
    });
    return backTo(session.vendor);
  } finally {
    if (session.running === running) session.running = undefined;
  }
}

/** The buttons every vendor page has once signed in. */
export function commonAction(app: App, session: VendorSession, name: CommonActionName): Promise<Next> {
  const driver = app.drivers[session.vendor];
  const vendorName = VENDOR_INFO[session.vendor].name;
  return runAction(app, session, name, async (): Promise<Outcome> => {
    switch (name) {
      case 'call': {
        const started = performance.now();
        const call = await driver.callResource(session);
        const durationMs = Math.round(performance.now() - started);
        session.result = { request: call.request, at: Date.now(), durationMs, body: call.body };
        return {
          entry: {
            event: 'request',
            level: 'info',
            summary: `${call.request} answered 200`,
            details: [['took', `${durationMs} ms`]],
          },
        };
      }
      case 'expire':
        await driver.forceExpiry(session);
        return {
          notice: 'The access token is now expired: the next call refreshes it first.',
          entry: {
            event: 'expire',
            level: 'info',
            summary: 'Marked the stored access token as expired (no request sent, no token issued)',
            details: [],
          },
        };
      case 'refresh':
        await driver.refreshNow(session);
        return { notice: 'Refreshed.' };
      case 'sign-out':
        await driver.signOut(session);
        session.result = undefined;
        return {
          notice: `Signed out of ${vendorName}.`,
          entry: { event: 'sign-out', level: 'info', summary: 'Signed out', details: [] },
        };
    }
  });
}

/** Light only: a call the API answers with a redirect, so the timeline shows both hops. */
export function followLightRedirect(app: App, session: VendorSession): Promise<Next> {
  return runAction(app, session, 'redirect', async () => {
    const started = performance.now();
    const call = await app.drivers.light.followRedirect(session);
    const durationMs = Math.round(performance.now() - started);
    session.result = { request: call.request, at: Date.now(), durationMs, body: call.body };
    return {
      entry: {
        event: 'request',
        level: 'info',
        summary: `${call.request} answered 200 after a redirect`,
        details: [['took', `${durationMs} ms`]],
      },
    };
  });
}

function signedIn(session: VendorSession, how: string): Outcome {
  return {
    notice: `Signed in to ${VENDOR_INFO[session.vendor].name}.`,
    entry: { event: 'sign-in', level: 'success', summary: `Signed in (${how})`, details: [] },
  };
}

function redirecting(to: string, location: string): Outcome {
  return {
    next: { location },
    entry: {
      event: 'sign-in',
      level: 'info',
      summary: `Sent the browser to ${to}`,
      details: [['host', new URL(location).host]],
    },
  };
}

export function startLightOAuth(app: App, session: VendorSession): Promise<Next> {
  return runAction(app, session, 'oauth', async () =>
    redirecting("Light's consent page", await app.drivers.light.startOAuth(session)),
  );
}

export function startLightFiOAuth(app: App, session: VendorSession): Promise<Next> {
  return runAction(app, session, 'oauth', async () =>
    redirecting("LightFi's hosted sign-in", await app.drivers.lightfi.startOAuth(session)),
  );
}

export function finishOAuth(
  app: App,
  session: VendorSession,
  vendor: 'light' | 'lightfi',
  url: URL,
): Promise<Next> {
  return runAction(app, session, 'callback', async () => {
    await app.drivers[vendor].finishOAuth(session, url);
    return signedIn(session, vendor === 'light' ? 'OAuth 2.0' : 'OAuth 2.0 with PKCE');
  });
}

export function useLightApiKey(app: App, session: VendorSession, form: Form): Promise<Next> {
  return runAction(
    app,
    session,
    'api-key',
    async () => {
      const apiKey = form['apiKey']?.trim() ?? '';
      if (apiKey === '') throw new ConfigError([{ option: 'apiKey', message: 'enter an API key' }]);
      await app.drivers.light.useApiKey(session, apiKey);
      return signedIn(session, 'API key, checked against GET /v1/companies/current');
    },
    // The check call is what fails on a wrong key: say so rather than "the API answered with an error".
    (view) =>
      view.code === 'ERR_API' &&
      view.details.some(([name, value]) => name === 'status' && /^40[13]$/.test(value))
        ? 'Light did not accept this API key'
        : undefined,
  );
}

export function loginLightbug(app: App, session: VendorSession, form: Form): Promise<Next> {
  return runAction(app, session, 'login', async () => {
    const username = form['username']?.trim() ?? '';
    const password = form['password'] ?? '';
    const refreshable = Number(form['refreshable'] ?? DEFAULT_REFRESHABLE);
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
