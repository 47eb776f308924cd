import { type Html, html } from './html.js';
import { VENDOR_IDS, type VendorId } from './vendor-id.js';
import { VENDOR_INFO } from './vendor-info.js';

export type PlaygroundMode = 'emulators' | 'vendors';

export interface LayoutOptions {
  readonly title: string;
  readonly active: VendorId | 'home';
  readonly mode: PlaygroundMode;
  /** Which vendors this session is signed in to, for the dots in the tabs. */
  readonly signedIn: Readonly<Record<VendorId, boolean>>;
  readonly body: Html;
}

function tabs(options: LayoutOptions): Html {
  const current = (id: VendorId | 'home') => (options.active === id ? 'page' : undefined);
  return html`<nav class="tabs" aria-label="Vendors">
    <a class="tab" href="/" aria-current="${current('home') ?? 'false'}">Overview</a>
    ${VENDOR_IDS.map(
      (id) => html`<a class="tab" href="/${id}" aria-current="${current(id) ?? 'false'}">
        <span class="dot dot-${id}${options.signedIn[id] ? ' dot-on' : ''}"></span>${VENDOR_INFO[id].name}</a>`,
    )}
  </nav>`;
}

function modeBadge(mode: PlaygroundMode): Html {
  return mode === 'emulators'
    ? html`<span class="pill pill-accent" title="Every request goes to the emulators embedded in this process">Local emulators</span>`
    : html`<span class="pill pill-warn" title="Requests go to the vendors' real servers">Live vendors</span>`;
}

/** The page shell: header with the vendor tabs, then the page. */
export function layout(options: LayoutOptions): Html {
  const theme = options.active === 'home' ? 'theme-home' : `theme-${options.active}`;
  const signedIn = options.active === 'home' ? false : options.signedIn[options.active];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Auth Playground</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/playground.css">
<script src="/assets/playground.js" defer></script>
</head>
<body class="${theme}" data-signed-in="${String(signedIn)}">
<header class="topbar">
  <div class="topbar-inner">
    <a class="brand" href="/"><span class="brand-logo" aria-hidden="true">✦</span><span class="brand-name">Auth Playground</span></a>
    ${tabs(options)}
    <div class="topbar-mode">${modeBadge(options.mode)}</div>
  </div>
</header>
<main>
${options.body}
<p class="footer">Tokens stay on the server; this page only ever sees redacted previews and a session cookie.</p>
</main>
</body>
</html>`;
}

export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6246ea"/><stop offset=".55" stop-color="#d9730d"/><stop offset="1" stop-color="#0d9373"/></linearGradient></defs><rect width="32" height="32" rx="8" fill="url(#g)"/><path d="M16 6l2.6 7.4L26 16l-7.4 2.6L16 26l-2.6-7.4L6 16l7.4-2.6z" fill="#fff"/></svg>`;
