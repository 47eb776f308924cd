import type { App } from './app.js';
import { toErrorView } from './error-view.js';
import type { Html } from './html.js';
import { layout } from './layout.js';
import { homePage } from './pages/home.js';
import { lightPage } from './pages/light.js';
import { lightbugPage } from './pages/lightbug.js';
import { lightfiPage } from './pages/lightfi.js';
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

export async function renderHome(app: App, session: Session): Promise<Html> {
  const { views } = await readViews(app, session);
  const now = Date.now();
  const body = homePage({
    mode: app.mode,
    now,
    vendors: VENDOR_IDS.map((id) => ({ driver: app.drivers[id], view: views[id] })),
  });
  return layout({ title: 'Overview', active: 'home', mode: app.mode, signedIn: signedInMap(views), body });
}

export async function renderVendor(app: App, session: Session, id: VendorId): Promise<Html> {
  const { views, problems } = await readViews(app, session);
  const vendorSession = session.vendors[id];
  // The flash is shown once (post/redirect/get).
  const flash = vendorSession.flash ?? problems[id];
  vendorSession.flash = undefined;
  const model: VendorPageModel = {
    driver: app.drivers[id],
    view: views[id],
    flash,
    result: vendorSession.result,
    entries: vendorSession.log.newestFirst(),
    lastEntryId: vendorSession.log.lastId,
    now: Date.now(),
  };
  const body =
    id === 'light'
      ? lightPage(model, app.drivers.light)
      : id === 'lightbug'
        ? lightbugPage(model, app.drivers.lightbug)
        : lightfiPage(model, app.drivers.lightfi);
  return layout({
    title: VENDOR_INFO[id].name,
    active: id,
    mode: app.mode,
    signedIn: signedInMap(views),
    body,
  });
}

export async function stateJson(app: App, session: Session | undefined): Promise<unknown> {
  if (session === undefined) {
    return { mode: app.mode, vendors: Object.fromEntries(VENDOR_IDS.map((id) => [id, signedOutView(0)])) };
  }
  const { views } = await readViews(app, session);
  return { mode: app.mode, vendors: views };
}
