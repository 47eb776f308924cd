import type { Child } from 'hono/jsx';
import type { ActionName } from '../actions.js';
import type { CodeSnippet } from '../code-snippets.js';
import type { LogEntry } from '../event-log.js';
import { formatClock, formatDuration, formatExpiry, formatMoment } from '../format.js';
import { jsonView } from '../json-view.js';
import type { Flash, ResourceResult } from '../session.js';
import { refreshReasonText, type TokenView } from '../token-view.js';
import { VENDOR_INFO } from '../vendor-info.js';
import type { VendorDriver } from '../vendors/vendor.js';
import { Banner, CopyButton, StatusPill, TargetChip } from './parts.js';

/** Everything a vendor page shows, gathered by the route. */
export interface VendorPageModel {
  readonly driver: VendorDriver;
  readonly view: TokenView;
  readonly flash: Flash | undefined;
  readonly result: ResourceResult | undefined;
  /** Newest first: SDK events and app actions. */
  readonly entries: readonly LogEntry[];
  /** Newest first: the HTTP exchanges, each with the entry that caused it. */
  readonly exchanges: ReadonlyArray<{ readonly entry: LogEntry; readonly cause: LogEntry | undefined }>;
  readonly lastEntryId: number;
  readonly snippets: readonly CodeSnippet[];
  readonly lastAction: ActionName | undefined;
  readonly now: number;
}

/** Per-vendor wording of the page's parts. */
export interface VendorPageParts {
  /** The sign-in card(s), shown while signed out. */
  readonly signIn: Child;
  readonly signOutLabel: string;
  /** What signing out does at the vendor, under the buttons. */
  readonly signOutNote: string;
  /** Buttons of this vendor only, after the demo call. */
  readonly extraActions?: Child;
}

function ExpiryValue({ view, now }: { view: TokenView; now: number }) {
  if (view.expiresAt === undefined)
    return (
      <span class="countdown" data-field="expires">
        never
      </span>
    );
  const left = view.expiresAt - now;
  const state = left <= 0 ? ' is-expired' : left < 120_000 ? ' is-soon' : '';
  return (
    <span
      class={`countdown${state}`}
      data-field="expires"
      data-expires-at={String(view.expiresAt)}
      title={new Date(view.expiresAt).toISOString()}
    >
      {formatExpiry(view.expiresAt, now)}
    </span>
  );
}

export function ActionButton(props: { vendor: string; action: string; children: Child; style?: string }) {
  return (
    <form method="post" action={`/${props.vendor}/${props.action}`} data-action={props.action}>
      <button type="submit" class={`btn ${props.style ?? ''}`}>
        {props.children}
      </button>
    </form>
  );
}

function SessionCard({ model, parts }: { model: VendorPageModel; parts: VendorPageParts }) {
  const { driver, view, now } = model;
  const [method, path] = driver.resource.split(' ');
  return (
    <section class="card" aria-labelledby="session-title">
      <div class="card-head">
        <h2 id="session-title">Session</h2>
        <span class="pill pill-accent pill-plain" data-field="method">
          {view.method}
        </span>
      </div>
      <div class="card-body">
        <dl class="facts">
          <div>
            <dt>Access token</dt>
            <dd>
              <code data-field="access-token">{view.accessToken}</code>
            </dd>
          </div>
          <div>
            <dt>Authorization header</dt>
            <dd>
              <code data-field="header">{view.header}</code>
            </dd>
          </div>
          <div>
            <dt>Expires</dt>
            <dd>
              <ExpiryValue view={view} now={now} />
            </dd>
          </div>
          <div>
            <dt>Refreshes</dt>
            <dd>
              <span class="big-number" data-field="refreshes">
                {view.refreshes}
              </span>
            </dd>
          </div>
        </dl>
        <div class="actions">
          <ActionButton vendor={driver.id} action="call" style="btn-primary">
            Call{' '}
            <span class="kbd">
              {method} {path}
            </span>
          </ActionButton>
          {parts.extraActions}
          {view.renewable && (
            <ActionButton vendor={driver.id} action="expire">
              Force expiry
            </ActionButton>
          )}
          {view.renewable && (
            <ActionButton vendor={driver.id} action="refresh">
              Refresh now
            </ActionButton>
          )}
          <ActionButton vendor={driver.id} action="sign-out" style="btn-danger">
            {parts.signOutLabel}
          </ActionButton>
        </div>
      </div>
      <div class="card-foot small muted">
        {view.renewable ? (
          <>
            <b>Force expiry</b> marks the stored token as expired, so the next call refreshes it first.{' '}
            {parts.signOutNote}
          </>
        ) : (
          parts.signOutNote
        )}
      </div>
    </section>
  );
}

function Moment({ at, now }: { at: number; now: number }) {
  const left = at - now;
  return (
    <span title={new Date(at).toISOString()}>
      {formatMoment(at, now)}{' '}
      <span class="muted">({left >= 0 ? `in ${formatDuration(left)}` : `${formatDuration(-left)} ago`})</span>
    </span>
  );
}

function TokenCard({ view, now }: { view: TokenView; now: number }) {
  const refreshWindow =
    view.refreshExpiresAt !== undefined && view.expiresAt !== undefined
      ? view.refreshExpiresAt - view.expiresAt
      : undefined;
  return (
    <section class="card" aria-labelledby="token-title" data-section="token">
      <div class="card-head">
        <h2 id="token-title">The token, explained</h2>
        <span class="sub">{view.jwt === undefined ? 'opaque' : 'JWT · decoded, not verified'}</span>
      </div>
      <div class="card-body token-body">
        <p class="because" data-field="refresh-reason">
          {view.lastRefresh === undefined ? (
            <>No refresh yet in this session: these are the tokens from signing in.</>
          ) : (
            <>
              <b>Refreshed because</b> {refreshReasonText(view.lastRefresh.reason)} (
              <code>{view.lastRefresh.reason}</code>, {formatClock(view.lastRefresh.at)})
              {view.lastRefresh.rotated
                ? '; the refresh token was rotated.'
                : '; the refresh token was kept.'}
            </>
          )}
        </p>
        <dl class="kv kv-left">
          <dt>Token type</dt>
          <dd data-field="token-type">{view.tokenType}</dd>
          <dt>Access token expires</dt>
          <dd>{view.expiresAt === undefined ? 'never' : <Moment at={view.expiresAt} now={now} />}</dd>
          <dt>Refresh token</dt>
          <dd data-field="refresh-token">{view.hasRefreshToken ? 'present' : 'none'}</dd>
          {view.hasRefreshToken && (
            <>
              <dt>Refresh token expires</dt>
              <dd data-field="refresh-expires">
                {view.refreshExpiresAt === undefined ? (
                  'not stated by the vendor'
                ) : (
                  <Moment at={view.refreshExpiresAt} now={now} />
                )}
              </dd>
            </>
          )}
          {refreshWindow !== undefined && refreshWindow > 0 && (
            <>
              <dt>Refreshable for</dt>
              <dd>{formatDuration(refreshWindow)} after the access token expires</dd>
            </>
          )}
        </dl>
        {view.jwt !== undefined && (
          <>
            <h3 class="mini">Header</h3>
            <pre class="code small-code" data-field="jwt-header">
              {JSON.stringify(view.jwt.header)}
            </pre>
            <h3 class="mini">Claims</h3>
            <table class="claims" data-field="jwt-claims">
              <tbody>
                {view.jwt.claims.map((claim) => (
                  <tr>
                    <th scope="row">
                      <code>{claim.name}</code>
                    </th>
                    <td>
                      <code>{claim.value}</code>
                      {claim.time !== undefined && (
                        <div class="claim-time">
                          <Moment at={claim.time} now={now} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </section>
  );
}

function ResultCard({ result }: { result: ResourceResult }) {
  const [method, path] = result.request.split(' ');
  return (
    <section class="card" aria-labelledby="result-title" data-section="result">
      <div class="card-head">
        <div class="result-meta">
          <h2 id="result-title">Response</h2>
          <span class="method">{method}</span>
          <code>{path}</code>
        </div>
        <span class="sub">
          <span class="pill pill-ok">200 OK</span> {result.durationMs} ms · {formatClock(result.at)}
        </span>
      </div>
      <pre class="json" data-field="json" dangerouslySetInnerHTML={{ __html: jsonView(result.body) }}></pre>
    </section>
  );
}

function CodePanel({ model }: { model: VendorPageModel }) {
  const open = model.snippets.some((snippet) => snippet.action === model.lastAction)
    ? model.lastAction
    : 'setup';
  return (
    <section class="card code-card" aria-labelledby="code-title" data-section="code">
      <div class="card-head">
        <h2 id="code-title">SDK calls</h2>
        <span class="sub">what each button runs</span>
      </div>
      <div class="snippets">
        {model.snippets.map((snippet) => (
          <details class="snippet" open={snippet.action === open} data-snippet-for={snippet.action}>
            <summary>
              <span>{snippet.label}</span>
              {snippet.action === model.lastAction && (
                <span class="pill pill-accent pill-plain">last run</span>
              )}
            </summary>
            <div class="code-block">
              <div class="code-bar">
                <span class="code-label">TypeScript</span>
                <CopyButton target={`code-${snippet.action}`} label={`Copy the code for ${snippet.label}`} />
              </div>
              <pre class="code" id={`code-${snippet.action}`} data-snippet={snippet.action}>
                {snippet.code}
              </pre>
            </div>
            {snippet.curl !== undefined && (
              <div class="code-block">
                <div class="code-bar">
                  <span class="code-label">curl</span>
                  <CopyButton
                    target={`curl-${snippet.action}`}
                    label={`Copy the curl for ${snippet.label}`}
                  />
                </div>
                <pre class="code" id={`curl-${snippet.action}`} data-curl={snippet.action}>
                  {snippet.curl}
                </pre>
              </div>
            )}
          </details>
        ))}
      </div>
    </section>
  );
}

function statusClass(status: number | undefined): string {
  if (status === undefined || status >= 500) return 'st-err';
  if (status >= 400) return 'st-warn';
  if (status >= 300) return 'st-redirect';
  return 'st-ok';
}

/** `sdk refresh`, `app request`: how a timeline row names its cause. */
function causeLabel(cause: LogEntry): string {
  return `${cause.source} ${cause.event}`;
}

function TimelineRow({ entry, cause }: { entry: LogEntry; cause: LogEntry | undefined }) {
  const x = entry.http;
  if (x === undefined) return null;
  const url = new URL(x.url);
  return (
    <li
      class={`x-row ${statusClass(x.status)}`}
      id={`x-${entry.id}`}
      data-kind={x.kind}
      data-id={String(entry.id)}
    >
      <div class="x-line">
        <span class="x-id">#{entry.id}</span>
        <span class="x-method">{x.method}</span>
        <span class="x-url" title={x.url}>
          <span class="x-host">{url.host}</span>
          {`${url.pathname}${url.search}`}
        </span>
        <span class="x-status" data-field="status-code">
          {x.status ?? x.error ?? 'failed'}
        </span>
        <span class="x-ms">{x.durationMs} ms</span>
      </div>
      <div class="x-meta">
        <span class={`x-kind kind-${x.kind}`}>{x.kind}</span>
        <span class="x-auth" data-field="authorization">
          {x.authorization === undefined ? 'no Authorization' : `Authorization: ${x.authorization}`}
        </span>
        {x.grantType !== undefined && <span>grant_type={x.grantType}</span>}
        {x.location !== undefined && <span>→ {x.location}</span>}
        <span class="x-cause" data-field="cause">
          {cause === undefined ? null : (
            <a href={`#log-${cause.id}`}>
              ← {causeLabel(cause)} #{cause.id}
            </a>
          )}
        </span>
      </div>
    </li>
  );
}

function TimelineCard({ model }: { model: VendorPageModel }) {
  return (
    <section class="card" aria-labelledby="timeline-title" data-section="timeline">
      <div class="card-head">
        <h2 id="timeline-title">Requests on the wire</h2>
        <span class="sub">recorded by the fetch passed to the SDK</span>
      </div>
      <ol class="timeline" id="timeline">
        {model.exchanges.length === 0 ? (
          <li class="empty" id="timeline-empty">
            <b>No requests yet</b>
            Every exchange the SDK makes — token endpoint, login, revoke, logout, API calls, each redirect hop
            — shows up here with its status, timing and redacted Authorization header.
          </li>
        ) : (
          model.exchanges.map(({ entry, cause }) => <TimelineRow entry={entry} cause={cause} />)
        )}
      </ol>
    </section>
  );
}

function LogItem({ entry }: { entry: LogEntry }) {
  return (
    <li
      class={`log-item log-${entry.level} from-${entry.source}`}
      id={`log-${entry.id}`}
      data-event={entry.event}
    >
      <div class="log-line">
        <span class={`tag tag-${entry.source}`}>
          {entry.source} · {entry.event}
        </span>
        <time datetime={new Date(entry.at).toISOString()}>{formatClock(entry.at)}</time>
      </div>
      <p>{entry.summary}</p>
      {entry.details.length > 0 && (
        <dl class="log-details">
          {entry.details.map(([name, value]) => (
            <div>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {entry.requests !== undefined && entry.requests.length > 0 && (
        <p class="log-requests">
          requests{' '}
          {entry.requests.map((id) => (
            <a class="req-link" href={`#x-${id}`}>
              #{id}
            </a>
          ))}
        </p>
      )}
    </li>
  );
}

function LogCard({ model }: { model: VendorPageModel }) {
  return (
    <section class="card log-card" aria-labelledby="log-title">
      <div class="card-head">
        <h2 id="log-title">Event log</h2>
        <span id="live" class="live">
          live
        </span>
      </div>
      <p class="log-legend">
        <span class="legend-item">
          <span class="tag tag-sdk">sdk</span>an event the SDK emitted
        </span>
        <span class="legend-item">
          <span class="tag tag-app">app</span>what the playground did
        </span>
        <span class="legend-item">
          <span class="swatch swatch-success"></span>success
        </span>
        <span class="legend-item">
          <span class="swatch swatch-warning"></span>warning
        </span>
        <span class="legend-item">
          <span class="swatch swatch-error"></span>error
        </span>
      </p>
      <ol class="log" id="event-log" data-vendor={model.driver.id} data-last-id={String(model.lastEntryId)}>
        {model.entries.length === 0 ? (
          <li class="empty" id="event-log-empty">
            <b>Nothing yet</b>What the SDK does — refreshes, retries, redirects, warnings — shows up here as
            it happens.
          </li>
        ) : (
          model.entries.map((entry) => <LogItem entry={entry} />)
        )}
      </ol>
    </section>
  );
}

/**
 * A vendor page: the hero, a banner, the sign-in or session card, the request timeline, the token explained, the
 * last response; beside them the SDK calls and the live event log.
 */
export function VendorPage({ model, parts }: { model: VendorPageModel; parts: VendorPageParts }) {
  const info = VENDOR_INFO[model.driver.id];
  const { view } = model;
  return (
    <>
      <section class="hero">
        <div class="hero-title">
          <span class="mark" aria-hidden="true">
            {info.mark}
          </span>
          <div>
            <h1>{info.name}</h1>
            <p>{info.flows}.</p>
          </div>
        </div>
        <div class="hero-meta">
          <StatusPill view={view} now={model.now} /> <TargetChip target={model.driver.target} />
        </div>
      </section>
      <div id="stale" class="banner banner-notice stale" role="status">
        <span class="banner-icon" aria-hidden="true">
          ↻
        </span>
        <div>
          <p>
            The session changed in the background. <a href={`/${model.driver.id}`}>Reload the page</a>
          </p>
        </div>
      </div>
      <Banner flash={model.flash} />
      <div class="grid">
        <div class="stack">
          {view.signedIn ? <SessionCard model={model} parts={parts} /> : parts.signIn}
          <TimelineCard model={model} />
          {view.signedIn && view.renewable && <TokenCard view={view} now={model.now} />}
          {view.signedIn && model.result !== undefined && <ResultCard result={model.result} />}
        </div>
        <div class="stack side">
          <CodePanel model={model} />
          <LogCard model={model} />
        </div>
      </div>
    </>
  );
}
