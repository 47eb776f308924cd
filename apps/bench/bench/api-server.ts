/**
 * The benchmark's HTTP server, run in its own process so that its CPU time is not counted as the client's.
 *
 * - `GET /api/items`: 200 with a small JSON body when the `Authorization` header carries a valid token, else 401.
 * - `POST /token`: after `TOKEN_DELAY_MS`, issues a new token (`tok-N`, valid from then on) and counts the call.
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
    setTimeout(() => send(res, 200, tokenBody()), TOKEN_DELAY_MS);
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
