import { formatExpiry } from '../format.js';
import type { PlaygroundMode } from '../layout.js';
import type { TokenView } from '../token-view.js';
import { VENDOR_INFO } from '../vendor-info.js';
import type { VendorDriver } from '../vendors/vendor.js';
import { StatusPill, TargetChip } from './parts.js';

export interface HomeModel {
  readonly mode: PlaygroundMode;
  readonly vendors: ReadonlyArray<{ readonly driver: VendorDriver; readonly view: TokenView }>;
  readonly now: number;
}

function VendorCard({ driver, view, now }: { driver: VendorDriver; view: TokenView; now: number }) {
  const info = VENDOR_INFO[driver.id];
  return (
    <article class={`card vendor-card theme-${driver.id}`} data-vendor={driver.id}>
      <div class="stripe"></div>
      <div class="card-body">
        <div class="hero-title">
          <span class="mark mark-sm" aria-hidden="true">
            {info.mark}
          </span>
          <h2>{info.name}</h2>
          <span class="push">
            <StatusPill view={view} now={now} />
          </span>
        </div>
        <p class="desc">
          {info.description} {info.flows}.
        </p>
        <dl class="kv">
          <dt>Session</dt>
          <dd>{view.method ?? (driver.missing.length > 0 ? 'not configured' : '—')}</dd>
          <dt>Expires</dt>
          <dd>
            {view.expiresAt === undefined ? (
              <span>{view.signedIn ? 'never' : '—'}</span>
            ) : (
              <span class="countdown" data-expires-at={String(view.expiresAt)}>
                {formatExpiry(view.expiresAt, now)}
              </span>
            )}
          </dd>
          <dt>Refreshes</dt>
          <dd data-field="refreshes">{view.refreshes}</dd>
          <dt>Target</dt>
          <dd>
            <TargetChip target={driver.target} />
          </dd>
        </dl>
      </div>
      <div class="card-foot">
        <a class="btn btn-block" href={`/${driver.id}`}>
          Open {info.name} →
        </a>
      </div>
    </article>
  );
}

export function HomePage(model: HomeModel) {
  const where =
    model.mode === 'emulators'
      ? 'against emulators of the three vendors running inside this process — nothing leaves your machine'
      : "against the vendors' live servers, configured from the environment";
  return (
    <>
      <section class="intro">
        <h1>Auth Playground</h1>
        <p>
          Sign in to Light, Lightbug and LightFi through the auth SDK, call each API, force a token to expire
          and watch the SDK refresh it — {where}. Every page shows the SDK call behind each button and every
          HTTP exchange the SDK made.
        </p>
      </section>
      <div class="vendors">
        {model.vendors.map((vendor) => (
          <VendorCard driver={vendor.driver} view={vendor.view} now={model.now} />
        ))}
      </div>
      <section class="card how">
        <div class="card-head">
          <h2>What happens on the server</h2>
        </div>
        <div class="card-body">
          <ul>
            <li>
              Each browser session gets one SDK client per vendor; its tokens live in a <code>FileStore</code>{' '}
              under a key of its own, so a restart of the playground keeps you signed in to the live vendors.
            </li>
            <li>
              The client is given a <code>fetch</code> that records each exchange (method, URL, status, time
              and the redacted <code>Authorization</code> header) for the request timeline; bodies are never
              read.
            </li>
            <li>
              OAuth <code>state</code> and the PKCE verifier stay on the server; the browser holds only an{' '}
              <code>HttpOnly</code> session cookie.
            </li>
            <li>
              Every SDK event — refresh, retry, redirect, warning — is streamed to the vendor's page, with
              token values left out.
            </li>
          </ul>
        </div>
      </section>
    </>
  );
}
