/** The shapes the event stream sends (see the server's `LogEntry` and `TokenView`), as far as the page reads them. */
export interface ExchangeData {
  readonly kind: string;
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly durationMs: number;
  readonly authorization?: string;
  readonly grantType?: string;
  readonly location?: string;
  readonly error?: string;
}

export interface EntryData {
  readonly id: number;
  readonly at: number;
  readonly source: 'sdk' | 'app' | 'http';
  readonly event: string;
  readonly level: string;
  readonly summary: string;
  readonly details: ReadonlyArray<readonly [string, string]>;
  readonly http?: ExchangeData;
  readonly requests?: readonly number[];
}

export interface ViewData {
  readonly signedIn: boolean;
  readonly accessToken?: string;
  readonly header?: string;
  readonly hasRefreshToken: boolean;
  readonly expiresAt?: number;
  readonly refreshes: number;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString('en-GB', { hour12: false });
}

/** A log line, as the server renders it. */
export function entryNode(entry: EntryData): HTMLLIElement {
  const li = el('li', `log-item is-new log-${entry.level} from-${entry.source}`);
  li.id = `log-${entry.id}`;
  li.dataset['event'] = entry.event;
  const line = el('div', 'log-line');
  const time = el('time', undefined, clock(entry.at));
  time.dateTime = new Date(entry.at).toISOString();
  line.append(el('span', `tag tag-${entry.source}`, `${entry.source} · ${entry.event}`), time);
  li.append(line, el('p', undefined, entry.summary));
  if (entry.details.length > 0) {
    const dl = el('dl', 'log-details');
    for (const [name, value] of entry.details) {
      const div = el('div');
      div.append(el('dt', undefined, name), el('dd', undefined, value));
      dl.append(div);
    }
    li.append(dl);
  }
  if (entry.requests !== undefined && entry.requests.length > 0) {
    const p = el('p', 'log-requests', 'requests ');
    for (const id of entry.requests) {
      const a = el('a', 'req-link', `#${id}`);
      a.href = `#x-${id}`;
      p.append(a);
    }
    li.append(p);
  }
  return li;
}

function statusClass(status: number | undefined): string {
  if (status === undefined || status >= 500) return 'st-err';
  if (status >= 400) return 'st-warn';
  if (status >= 300) return 'st-redirect';
  return 'st-ok';
}

/** A timeline row, as the server renders it. */
export function exchangeNode(entry: EntryData): HTMLLIElement {
  const x = entry.http;
  const li = el('li', `x-row is-new ${statusClass(x?.status)}`);
  li.id = `x-${entry.id}`;
  li.dataset['id'] = String(entry.id);
  if (x === undefined) return li;
  li.dataset['kind'] = x.kind;
  const url = new URL(x.url);
  const line = el('div', 'x-line');
  const target = el('span', 'x-url');
  target.title = x.url;
  target.append(el('span', 'x-host', url.host), `${url.pathname}${url.search}`);
  const status = el('span', 'x-status', String(x.status ?? x.error ?? 'failed'));
  status.dataset['field'] = 'status-code';
  line.append(
    el('span', 'x-id', `#${entry.id}`),
    el('span', 'x-method', x.method),
    target,
    status,
    el('span', 'x-ms', `${x.durationMs} ms`),
  );
  const meta = el('div', 'x-meta');
  const auth = el(
    'span',
    'x-auth',
    x.authorization === undefined ? 'no Authorization' : `Authorization: ${x.authorization}`,
  );
  auth.dataset['field'] = 'authorization';
  meta.append(el('span', `x-kind kind-${x.kind}`, x.kind), auth);
  if (x.grantType !== undefined) meta.append(el('span', undefined, `grant_type=${x.grantType}`));
  if (x.location !== undefined) meta.append(el('span', undefined, `→ ${x.location}`));
  const cause = el('span', 'x-cause');
  cause.dataset['field'] = 'cause';
  meta.append(cause);
  li.append(line, meta);
  return li;
}

/** Links the timeline rows an entry claimed back to it ("← sdk refresh #14"). */
export function requestLinks(entry: EntryData): void {
  for (const id of entry.requests ?? []) {
    const cause = document.querySelector(`#x-${id} [data-field="cause"]`);
    if (cause === null) continue;
    const a = el('a', undefined, `← ${entry.source} ${entry.event} #${entry.id}`);
    a.href = `#log-${entry.id}`;
    cause.replaceChildren(a);
  }
}
