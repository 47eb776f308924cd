/**
 * The benchmark's HTTP server, run in its own process so that its CPU time is not counted as the client's.
 *
 * - `GET /api/items`: 200 with a small JSON body when the `Authorization` header carries a valid token, else 401.
 * - `POST /token`: after `TOKEN_DELAY_MS` (to within microseconds, see `later`), issues a new token (`tok-N`, valid
 *   from then on) and counts the call.
 * - `POST /probe`: the same delay and body as `/token`, not counted: one token round trip, for the storm's anchor.
 * - `POST /revoke`: every token, the static one included, becomes invalid (a 401 storm follows).
 * - `POST /reset`: the static token is valid again and the counter is zero.
 * - `GET /stats`: `{ tokenCalls }`.
 *
 * Prints `{"port":N}` on its first line of stdout once listening on 127.0.0.1 (port chosen by the OS).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { STATIC_TOKEN } from './constants.ts';

const TOKEN_DELAY_MS = Number(process.env['TOKEN_DELAY_MS'] ?? 20);

const valid = new Set<string>([STATIC_TOKEN]);
let tokenCalls = 0;
let issued = 0;
const ITEMS = JSON.stringify({
  items: [
    { id: 1, name: 'one' },
    { id: 2, name: 'two' },
  ],
});

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function tokenBody(): string {
  issued += 1;
  const token = `tok-${issued}`;
  valid.add(token);
  return JSON.stringify({
    access_token: token,
    token_type: 'bearer',
    expires_in: 3600,
    refresh_token: `rt-${issued}`,
  });
}

/** Token answers waiting for their time, in arrival order (the delay is the same for all, so also in time order). */
const waiting: Array<{ at: number; answer: () => void }> = [];
let nextWaiting = 0;
/** How long before an answer's time the timer hands over to the spin: more than a timer's lateness. */
const SPIN_MS = 2;

/**
 * Answers `TOKEN_DELAY_MS` after now, to within a few microseconds: a timer (whole milliseconds, fired up to a
 * millisecond late) wakes the server shortly before, then one `setImmediate` loop for all waiting answers, which lets
 * I/O through between turns. The storm's anchor and the storms each meet this delay: with a timer alone, each
 * round trip moved by up to a millisecond with the timer's phase, which was most of a storm round's noise.
 */
function later(answer: () => void): void {
  waiting.push({ at: performance.now() + TOKEN_DELAY_MS, answer });
  if (waiting.length - nextWaiting === 1) wake();
}

function wake(): void {
  const first = waiting[nextWaiting];
  if (first === undefined) return;
  const ms = first.at - performance.now() - SPIN_MS;
  if (ms > 0) setTimeout(spin, ms);
  else setImmediate(spin);
}

function spin(): void {
  const now = performance.now();
  while (nextWaiting < waiting.length && waiting[nextWaiting]!.at <= now) {
    const { answer } = waiting[nextWaiting]!;
    nextWaiting += 1;
    answer();
  }
  if (nextWaiting === waiting.length) {
    waiting.length = 0;
    nextWaiting = 0;
    return;
  }
  wake();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  if (req.method === 'GET' && path.startsWith('/api/')) {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (valid.has(token)) send(res, 200, ITEMS);
    else send(res, 401, '{"error":"invalid_token"}');
    return;
  }
  if (req.method === 'POST' && (path === '/token' || path === '/probe')) {
    if (path === '/token') tokenCalls += 1;
    later(() => send(res, 200, tokenBody()));
    return;
  }
  if (req.method === 'POST' && path === '/revoke') {
    valid.clear();
    send(res, 200, '{}');
    return;
  }
  if (req.method === 'POST' && path === '/reset') {
    valid.clear();
    valid.add(STATIC_TOKEN);
    tokenCalls = 0;
    send(res, 200, '{}');
    return;
  }
  if (req.method === 'GET' && path === '/stats') {
    send(res, 200, JSON.stringify({ tokenCalls }));
    return;
  }
  send(res, 404, '{}');
}

const server = createServer((req, res) => {
  // Drain the request body (token requests carry a form) before answering.
  req.resume();
  req.on('end', () => handle(req, res));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('disconnect', () => server.close());
process.on('SIGTERM', () => process.exit(0));
