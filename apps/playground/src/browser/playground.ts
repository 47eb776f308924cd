/**
 * The playground's browser side (bundled by esbuild into /assets/playground.js): live expiry countdowns, the live
 * event log and request timeline (Server-Sent Events), actions that update the page in place, and copy buttons.
 * Entries from the stream are built with textContent only; a page swapped in after an action is the server's own
 * rendering of the page (JSX, escaped), parsed with DOMParser and never run as script.
 */
import { formatDuration } from '../format.js';
import { type EntryData, entryNode, exchangeNode, requestLinks, type ViewData } from './nodes.js';

function tick(): void {
  const now = Date.now();
  for (const el of document.querySelectorAll<HTMLElement>('[data-expires-at]')) {
    const at = Number(el.dataset['expiresAt']);
    if (!at) continue;
    const left = at - now;
    el.textContent = left > 0 ? `in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
    el.classList.toggle('is-expired', left <= 0);
    el.classList.toggle('is-soon', left > 0 && left < 120_000);
  }
}

function setField(name: string, value: string): void {
  for (const el of document.querySelectorAll(`[data-field="${name}"]`)) el.textContent = value;
}

function applyView(view: ViewData): void {
  setField('refreshes', String(view.refreshes));
  if (!view.signedIn) return;
  setField('access-token', view.accessToken ?? '');
  setField('header', view.header ?? '');
  setField('refresh-token', view.hasRefreshToken ? 'present' : 'none');
  for (const el of document.querySelectorAll<HTMLElement>('[data-field="expires"]')) {
    if (view.expiresAt !== undefined) {
      el.dataset['expiresAt'] = String(view.expiresAt);
    } else {
      delete el.dataset['expiresAt'];
      el.textContent = 'never';
      el.className = 'countdown';
    }
  }
  tick();
}

let lastId = 0;
let busy = false;

/** Puts one streamed entry where it belongs: an exchange in the timeline, anything else in the log. */
function addEntry(entry: EntryData): void {
  if (entry.id <= lastId) return;
  lastId = entry.id;
  if (entry.source === 'http') {
    document.getElementById('timeline-empty')?.remove();
    document.getElementById('timeline')?.prepend(exchangeNode(entry));
    return;
  }
  document.getElementById('event-log-empty')?.remove();
  document.getElementById('event-log')?.prepend(entryNode(entry));
  requestLinks(entry);
}

function readLastId(): void {
  const log = document.getElementById('event-log');
  lastId = Math.max(lastId, Number(log?.dataset['lastId'] ?? '0'));
}

function connect(): void {
  const log = document.getElementById('event-log');
  if (log === null || !('EventSource' in window)) return;
  const vendor = log.dataset['vendor'] ?? '';
  readLastId();
  const live = document.getElementById('live');
  const source = new EventSource(`/${vendor}/events?after=${lastId}`);
  source.addEventListener('open', () => document.getElementById('live')?.classList.add('is-live'));
  source.addEventListener('error', () => document.getElementById('live')?.classList.remove('is-live'));
  live?.classList.remove('is-live');
  source.addEventListener('log', (message) => {
    const data = JSON.parse((message as MessageEvent<string>).data) as { entry: EntryData; view: ViewData };
    if (data.entry.id <= lastId) return;
    addEntry(data.entry);
    applyView(data.view);
    // A change made elsewhere (another tab, a background refresh that failed): offer a reload rather than
    // pulling the page from under the user, and never while one of our own actions is on its way.
    const signedIn = document.body.dataset['signedIn'] === 'true';
    if (data.view.signedIn !== signedIn && !busy)
      document.getElementById('stale')?.classList.add('is-visible');
  });
}

/** Replaces the page's header and main with those of a freshly rendered page, keeping the event stream. */
function swapPage(html: string): void {
  const next = new DOMParser().parseFromString(html, 'text/html');
  const live = document.getElementById('live')?.classList.contains('is-live') ?? false;
  for (const selector of ['header.topbar', 'main']) {
    const current = document.querySelector(selector);
    const replacement = next.querySelector(selector);
    if (current !== null && replacement !== null) current.replaceWith(document.adoptNode(replacement));
  }
  document.body.className = next.body.className;
  document.body.dataset['signedIn'] = next.body.dataset['signedIn'] ?? 'false';
  document.title = next.title;
  document.getElementById('live')?.classList.toggle('is-live', live);
  readLastId();
  tick();
}

/** The form's text fields, as the urlencoded body the server reads. */
function formBody(form: HTMLFormElement): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.append(name, value);
  return body;
}

async function submit(form: HTMLFormElement, button: HTMLElement | null): Promise<void> {
  busy = true;
  button?.setAttribute('aria-busy', 'true');
  document.body.dataset['busy'] = 'true';
  let response: Response;
  try {
    response = await fetch(form.action, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: formBody(form),
    });
  } catch {
    // No answer at all: let the browser post the form itself.
    busy = false;
    form.submit();
    return;
  }
  try {
    const answer = response.ok ? ((await response.json()) as { page?: string; location?: string }) : {};
    if (answer.location !== undefined) {
      window.location.assign(answer.location);
    } else if (answer.page !== undefined) {
      swapPage(answer.page);
    } else {
      // The action may have run: show the page as it is now rather than posting again.
      window.location.reload();
    }
  } finally {
    busy = false;
    button?.removeAttribute('aria-busy');
    delete document.body.dataset['busy'];
  }
}

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
  if (new URL(form.action).origin !== window.location.origin) return;
  event.preventDefault();
  if (busy) return;
  void submit(form, event.submitter);
});

document.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-copy]');
  if (button === null || button === undefined) return;
  const text = document.getElementById(button.dataset['copy'] ?? '')?.textContent ?? '';
  const done = (label: string) => {
    button.textContent = label;
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 1500);
  };
  navigator.clipboard.writeText(text).then(
    () => done('Copied'),
    () => done('Select and copy'),
  );
});

tick();
setInterval(tick, 1000);
connect();
