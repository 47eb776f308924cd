import type { App } from './app.js';
import { codeSnippets } from './code-snippets.js';
import { toErrorView } from './error-view.js';
import { Layout } from './layout.js';
import { HomePage } from './pages/home.js';
import { LightPage } from './pages/light.js';
import { LightbugPage } from './pages/lightbug.js';
import { LightFiPage } from './pages/lightfi.js';
import type { VendorPageModel } from './pages/vendor-page.js';
import type { Flash, Session } from './session.js';
import { signedOutView, type TokenView } from './token-view.js';
import { VENDOR_IDS, type VendorId } from './vendor-id.js';
import { VENDOR_INFO } from './vendor-info.js';

type Views = Record<VendorId, TokenView>;

/** Every vendor's token view; a store that cannot be read shows as signed out, with the reason kept for a banner. */
async function readViews(
  app: App,
  session: Session,
): Promise<{ views: Views; problems: Partial<Record<VendorId, Flash>> }> {
  const problems: Partial<Record<VendorId, Flash>> = {};
  const entries = await Promise.all(
    VENDOR_IDS.map(async (id): Promise<[VendorId, TokenView]> => {
      const vendorSession = session.vendors[id];
      try {
        return [id, await app.drivers[id].tokenView(vendorSession)];
      } catch (error) {
        problems[id] = { kind: 'error', error: toErrorView(error) };
        return [id, signedOutView(vendorSession.refreshes)];
      }
    }),
  );
  return { views: Object.fromEntries(entries) as Views, problems };
}

function signedInMap(views: Views): Record<VendorId, boolean> {
  return { light: views.light.signedIn, lightbug: views.lightbug.signedIn, lightfi: views.lightfi.signedIn };
}

/** The whole page as HTML. */
export type PageHtml = string;

export async function renderHome(app: App, session: Session): Promise<PageHtml> {
  const { views } = await readViews(app, session);
  const now = Date.now();
  const page = (
    <Layout title="Overview" active="home" mode={app.mode} signedIn={signedInMap(views)}>
      <HomePage
        mode={app.mode}
        now={now}
        vendors={VENDOR_IDS.map((id) => ({ driver: app.drivers[id], view: views[id] }))}
      />
    </Layout>
  );
  return page.toString();
}

function redirectUriOf(app: App, id: VendorId): string | undefined {
  if (id === 'light') return app.drivers.light.settings.oauth?.redirectUri;
  if (id === 'lightfi') return app.drivers.lightfi.settings.client?.redirectUri;
  return undefined;
}

export async function renderVendor(app: App, session: Session, id: VendorId): Promise<PageHtml> {
  const { views, problems } = await readViews(app, session);
  const vendorSession = session.vendors[id];
  // The flash is shown once (post/redirect/get).
  const flash = vendorSession.flash ?? problems[id];
  vendorSession.flash = undefined;
  const driver = app.drivers[id];
  const view = views[id];
  const all = vendorSession.log.newestFirst();
  const model: VendorPageModel = {
    driver,
    view,
    flash,
    result: vendorSession.result,
    entries: all.filter((entry) => entry.source !== 'http'),
    exchanges: all
      .filter((entry) => entry.source === 'http')
      .map((entry) => ({ entry, cause: vendorSession.log.causeOf(entry.id) })),
    lastEntryId: vendorSession.log.lastId,
    snippets: codeSnippets({
      vendor: id,
      target: driver.target,
      view,
      redirectUri: redirectUriOf(app, id),
      lastAction: vendorSession.lastAction,
    }),
    lastAction: vendorSession.lastAction,
    now: Date.now(),
  };
  const page = (
    <Layout title={VENDOR_INFO[id].name} active={id} mode={app.mode} signedIn={signedInMap(views)}>
      {id === 'light' ? (
        <LightPage model={model} driver={app.drivers.light} />
      ) : id === 'lightbug' ? (
        <LightbugPage model={model} driver={app.drivers.lightbug} />
      ) : (
        <LightFiPage model={model} driver={app.drivers.lightfi} />
      )}
    </Layout>
  );
  return page.toString();
}

export async function renderNotFound(app: App): Promise<PageHtml> {
  const page = (
    <Layout
      title="Not found"
      active="home"
      mode={app.mode}
      signedIn={{ light: false, lightbug: false, lightfi: false }}
    >
      <section class="card">
        <div class="empty">
          <b>Not found</b>
          <a href="/">Back to the overview</a>
        </div>
      </section>
    </Layout>
  );
  return page.toString();
}

export async function stateJson(app: App, session: Session | undefined): Promise<unknown> {
  if (session === undefined) {
    return { mode: app.mode, vendors: Object.fromEntries(VENDOR_IDS.map((id) => [id, signedOutView(0)])) };
  }
  const { views } = await readViews(app, session);
  return { mode: app.mode, vendors: views };
}
