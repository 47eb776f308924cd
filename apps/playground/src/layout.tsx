import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { VENDOR_IDS, type VendorId } from './vendor-id.js';
import { VENDOR_INFO } from './vendor-info.js';

export type PlaygroundMode = 'emulators' | 'vendors';

export interface LayoutProps {
  readonly title: string;
  readonly active: VendorId | 'home';
  readonly mode: PlaygroundMode;
  /** Which vendors this session is signed in to, for the dots in the tabs. */
  readonly signedIn: Readonly<Record<VendorId, boolean>>;
  readonly children?: Child;
}

function Tabs({ active, signedIn }: Pick<LayoutProps, 'active' | 'signedIn'>) {
  return (
    <nav class="tabs" aria-label="Vendors">
      <a class="tab" href="/" aria-current={active === 'home' ? 'page' : 'false'}>
        Overview
      </a>
      {VENDOR_IDS.map((id) => (
        <a class="tab" href={`/${id}`} aria-current={active === id ? 'page' : 'false'}>
          <span class={`dot dot-${id}${signedIn[id] ? ' dot-on' : ''}`}></span>
          {VENDOR_INFO[id].name}
        </a>
      ))}
    </nav>
  );
}

function ModeBadge({ mode }: { mode: PlaygroundMode }) {
  return mode === 'emulators' ? (
    <span class="pill pill-accent" title="Every request goes to the emulators embedded in this process">
      <span class="mode-long">Local emulators</span>
      <span class="mode-short">Emulators</span>
    </span>
  ) : (
    <span class="pill pill-warn" title="Requests go to the vendors' real servers">
      <span class="mode-long">Live vendors</span>
      <span class="mode-short">Live</span>
    </span>
  );
}

/** The page shell: header with the vendor tabs, then the page. */
export function Layout(props: LayoutProps) {
  const theme = props.active === 'home' ? 'theme-home' : `theme-${props.active}`;
  const signedIn = props.active === 'home' ? false : props.signedIn[props.active];
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${props.title} · Auth Playground`}</title>
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/playground.css" />
          <script src="/assets/playground.js" defer></script>
        </head>
        <body class={theme} data-signed-in={String(signedIn)}>
          <header class="topbar">
            <div class="topbar-inner">
              <a class="brand" href="/">
                <span class="brand-logo" aria-hidden="true">
                  ✦
                </span>
                <span class="brand-name">Auth Playground</span>
              </a>
              <Tabs active={props.active} signedIn={props.signedIn} />
              <div class="topbar-mode">
                <ModeBadge mode={props.mode} />
              </div>
            </div>
          </header>
          <main id="main">
            {props.children}
            <p class="footer">
              Tokens stay on the server; this page only ever sees redacted previews and a session cookie.
            </p>
          </main>
        </body>
      </html>
    </>
  );
}
