import type { ErrorView } from '../error-view.js';
import type { LogEntry } from '../event-log.js';
import { formatClock, formatExpiry } from '../format.js';
import { type Html, html } from '../html.js';
import { jsonView } from '../json-view.js';
import type { Flash, ResourceResult } from '../session.js';
import type { TokenView } from '../token-view.js';
import { VENDOR_INFO } from '../vendor-info.js';
import type { VendorDriver, VendorTarget } from '../vendors/vendor.js';

/** Everything a vendor page shows, gathered by the route. */
export interface VendorPageModel {
  readonly driver: VendorDriver;
  readonly view: TokenView;
  readonly flash: Flash | undefined;
  readonly result: ResourceResult | undefined;
  /** Newest first. */
  readonly entries: readonly LogEntry[];
  readonly lastEntryId: number;
  readonly now: number;
}

/** Per-vendor wording of the page's parts. */
export interface VendorPageParts {
  /** The sign-in card(s), shown while signed out. */
  readonly signIn: Html;
  readonly signOutLabel: string;
  /** What signing out does at the vendor, under the buttons. */
  readonly signOutNote: string;
}

export function targetChip(target: VendorTarget): Html {
  const host = new URL(target.apiUrl).host;
  return target.emulator
    ? html`<span class="chip" title="${target.apiUrl}">Emulator <code>${host}</code></span>`
    : html`<span class="chip" title="${target.apiUrl}">Live <code>${host}</code></span>`;
}

export function statusPill(view: TokenView, now: number): Html {
  if (!view.signedIn) return html`<span class="pill pill-off" data-field="status">Signed out</span>`;
  if (view.expiresAt !== undefined && view.expiresAt <= now) {
    return html`<span class="pill pill-warn" data-field="status">Signed in · token expired</span>`;
  }
  return html`<span class="pill pill-ok" data-field="status">Signed in</span>`;
}

function errorBanner(error: ErrorView): Html {
  return html`<div class="banner banner-error" role="alert" data-banner="error">
  <span class="banner-icon" aria-hidden="true">!</span>
  <div>
    <h3>${error.title} <code class="error-code" data-field="error-name">${error.name}</code>
      <code class="error-code" data-field="error-code">${error.code}</code></h3>
    <p data-field="error-message">${error.message}</p>
    ${error.hint !== undefined && html`<p class="hint-line">${error.hint}</p>`}
    ${
      error.details.length > 0 &&
      html`<dl>${error.details.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>`
    }
  </div>
</div>`;
}

export function banner(flash: Flash | undefined): Html | undefined {
  if (flash === undefined) return undefined;
  if (flash.kind === 'error') return errorBanner(flash.error);
  return html`<div class="banner banner-notice" role="status" data-banner="notice">
  <span class="banner-icon" aria-hidden="true">✓</span><div><p>${flash.text}</p></div>
</div>`;
}

function expiryValue(view: TokenView, now: number): Html {
  if (view.expiresAt === undefined) return html`<span class="countdown" data-field="expires">never</span>`;
  const left = view.expiresAt - now;
  const state = left <= 0 ? ' is-expired' : left < 120_000 ? ' is-soon' : '';
  return html`<span class="countdown${state}" data-field="expires" data-expires-at="${view.expiresAt}"
    title="${new Date(view.expiresAt).toISOString()}">${formatExpiry(view.expiresAt, now)}</span>`;
}

function actionButton(vendor: string, action: string, label: Html | string, style = ''): Html {
  return html`<form method="post" action="/${vendor}/${action}"><button type="submit" class="btn ${style}">${label}</button></form>`;
}

function sessionCard(model: VendorPageModel, parts: VendorPageParts): Html {
  const { driver, view, now } = model;
  const [method, path] = driver.resource.split(' ');
  return html`<section class="card" aria-labelledby="session-title">
  <div class="card-head">
    <h2 id="session-title">Session</h2>
    <span class="pill pill-accent pill-plain" data-field="method">${view.method}</span>
  </div>
  <div class="card-body">
    <dl class="facts">
      <div><dt>Access token</dt><dd><code data-field="access-token">${view.accessToken}</code></dd></div>
      <div><dt>Authorization header</dt><dd><code data-field="header">${view.header}</code></dd></div>
      <div><dt>Token type</dt><dd data-field="token-type">${view.tokenType}</dd></div>
      <div><dt>Expires</dt><dd>${expiryValue(view, now)}</dd></div>
      <div><dt>Refresh token</dt><dd data-field="refresh-token">${view.hasRefreshToken ? 'present' : 'none'}</dd></div>
      <div><dt>Refreshes</dt><dd><span class="big-number" data-field="refreshes">${view.refreshes}</span></dd></div>
    </dl>
    <div class="actions">
      ${actionButton(driver.id, 'call', html`Call <span class="kbd">${method} ${path}</span>`, 'btn-primary')}
      ${view.renewable && actionButton(driver.id, 'expire', 'Force expiry')}
      ${view.renewable && actionButton(driver.id, 'refresh', 'Refresh now')}
      ${actionButton(driver.id, 'sign-out', parts.signOutLabel, 'btn-danger')}
    </div>
  </div>
  <div class="card-foot small muted">${
    view.renewable
      ? html`<b>Force expiry</b> marks the stored token as expired, so the next call refreshes it first. ${parts.signOutNote}`
      : parts.signOutNote
  }</div>
</section>`;
}

function resultCard(result: ResourceResult): Html {
  const [method, path] = result.request.split(' ');
  return html`<section class="card" aria-labelledby="result-title" data-section="result">
  <div class="card-head">
    <div class="result-meta"><h2 id="result-title">Response</h2><span class="method">${method}</span><code>${path}</code></div>
    <span class="sub"><span class="pill pill-ok">200 OK</span> ${result.durationMs} ms · ${formatClock(result.at)}</span>
  </div>
  <pre class="json" data-field="json">${jsonView(result.body)}</pre>
</section>`;
}

function logItem(entry: LogEntry): Html {
  return html`<li class="log-item log-${entry.level} from-${entry.source}" data-event="${entry.event}">
  <div class="log-line"><span class="tag">${entry.event}</span>
    <time datetime="${new Date(entry.at).toISOString()}">${formatClock(entry.at)}</time></div>
  <p>${entry.summary}</p>
  ${
    entry.details.length > 0 &&
    html`<dl class="log-details">${entry.details.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>`
  }
</li>`;
}

function logCard(model: VendorPageModel): Html {
  return html`<section class="card log-card" aria-labelledby="log-title">
  <div class="card-head">
    <h2 id="log-title">Event log</h2>
    <span id="live" class="live">live</span>
  </div>
  <p class="log-legend">
    <span class="legend-item"><span class="tag tag-sdk">sdk</span>emitted by the SDK</span>
    <span class="legend-item"><span class="tag tag-app">app</span>done by the playground</span>
  </p>
  <ol class="log" id="event-log" data-vendor="${model.driver.id}" data-last-id="${model.lastEntryId}">
    ${
      model.entries.length === 0
        ? html`<li class="empty" id="event-log-empty"><b>Nothing yet</b>What the SDK does — refreshes, retries, redirects, warnings — shows up here as it happens.</li>`
        : model.entries.map(logItem)
    }
  </ol>
</section>`;
}

/** A vendor page: the hero, a banner, the sign-in or session card, the last response, and the live event log. */
export function vendorPage(model: VendorPageModel, parts: VendorPageParts): Html {
  const info = VENDOR_INFO[model.driver.id];
  return html`<section class="hero">
  <div class="hero-title">
    <span class="mark" aria-hidden="true">${info.mark}</span>
    <div><h1>${info.name}</h1><p>${info.flows}.</p></div>
  </div>
  <div class="hero-meta">${statusPill(model.view, model.now)} ${targetChip(model.driver.target)}</div>
</section>
<div id="stale" class="banner banner-notice stale" role="status">
  <span class="banner-icon" aria-hidden="true">↻</span>
  <div><p>The session changed in the background. <a href="/${model.driver.id}">Reload the page</a></p></div>
</div>
${banner(model.flash)}
<div class="grid">
  <div class="stack">
    ${model.view.signedIn ? sessionCard(model, parts) : parts.signIn}
    ${model.view.signedIn && model.result !== undefined && resultCard(model.result)}
  </div>
  ${logCard(model)}
</div>`;
}
