import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError, ExitCode } from './exit-codes.js';

/** A page that tells the person in the browser what happened; they go back to the terminal either way. */
export type CallbackOutcome = { ok: true } | { ok: false; title: string; detail: string };

/** The loopback listener of a login: it answers the one callback on the redirect URI's path, then stops. */
export interface LoopbackReceiver {
  /** The redirect URI, with the port the OS chose when it was 0. */
  readonly redirectUri: string;
  /**
   * Waits for the browser's request to the redirect path and calls `handle` with its full URL; `handle`'s outcome is
   * what the browser is shown. Rejects with {@link CliError} `TIMEOUT` after `timeoutMs`.
   */
  receive<T>(
    handle: (callbackUrl: string) => Promise<T>,
    describe: (result: PromiseSettledResult<T>) => CallbackOutcome,
    timeoutMs: number,
  ): Promise<T>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks that a redirect URI can be served by this process: plain `http:` on a loopback host (RFC 8252 §7.3), no
 * fragment. The URI is kept exactly as written (Cognito and Light compare it as a string).
 */
export function parseLoopbackRedirect(redirectUri: string): URL {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new CliError(ExitCode.USAGE, `--redirect-uri is not a URL: "${redirectUri}"`);
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname) || url.hash !== '') {
    throw new CliError(
      ExitCode.USAGE,
      `--redirect-uri must be http://localhost:PORT/…, http://127.0.0.1:PORT/… or http://[::1]:PORT/… (the CLI receives the code itself), got "${redirectUri}"`,
    );
  }
  return url;
}

function page(title: string, detail: string): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto"><h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(detail)}</p></body></html>`;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(error);
    server.once('error', failed);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Listens on the redirect URI's loopback address and port (`localhost`: 127.0.0.1 and, when the machine has it, ::1,
 * since a browser may resolve either). A port in use is {@link CliError} `PORT_IN_USE`.
 */
export async function startLoopbackReceiver(redirectUri: string): Promise<LoopbackReceiver> {
  const url = parseLoopbackRedirect(redirectUri);
  const requestedPort = url.port === '' ? 80 : Number(url.port);
  const hosts = url.hostname === 'localhost' ? ['127.0.0.1', '::1'] : [url.hostname.replace(/^\[|\]$/g, '')];
  let onRequest: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => {
    response.writeHead(503).end();
  };
  const servers: Server[] = [];
  const closeAll = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
  let port = requestedPort;
  for (const [index, host] of hosts.entries()) {
    const server = createServer((request, response) => onRequest(request, response));
    try {
      port = await listen(server, port, host);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ::1 missing (no IPv6 on this machine) is fine when 127.0.0.1 is served.
      if (index > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await closeAll();
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        throw new CliError(
          ExitCode.PORT_IN_USE,
          code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use, so the browser cannot come back to ${redirectUri}. Stop the program that holds it, or use a redirect URI with another port that is registered with the vendor (--redirect-uri)`
            : `Not allowed to listen on port ${port} (${host}): use a redirect URI with a port above 1023 (--redirect-uri)`,
        );
      }
      throw error;
    }
  }
  if (requestedPort === 0) url.port = String(port);
  const effective = requestedPort === 0 ? url.href : redirectUri;
  const path = url.pathname;

  return {
    redirectUri: effective,
    receive(handle, describe, timeoutMs) {
      return new Promise((resolve, reject) => {
        let done = false;
        const timer = setTimeout(() => {
          if (done) return;
          done = true;
          reject(
            new CliError(
              ExitCode.TIMEOUT,
              `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for the browser to come back to ${effective} (--timeout to wait longer)`,
            ),
          );
        }, timeoutMs);
        onRequest = (request, response) => {
          const target = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
          if (request.method !== 'GET' || target.pathname !== path || done) {
            response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
            return;
          }
          done = true;
          clearTimeout(timer);
          const callbackUrl = new URL(`${target.pathname}${target.search}`, url).href;
          handle(callbackUrl)
            .then(
              (value) => ({ status: 'fulfilled', value }) as const,
              (reason: unknown) => ({ status: 'rejected', reason }) as const,
            )
            .then((settled) => {
              const outcome = describe(settled);
              const html = outcome.ok
                ? page(
                    'Signed in',
                    'auth-sdk has stored the grant. You can close this tab and go back to the terminal.',
                  )
                : page(outcome.title, `${outcome.detail} Go back to the terminal for details.`);
              response
                .writeHead(outcome.ok ? 200 : 400, {
                  'content-type': 'text/html; charset=utf-8',
                  'cache-control': 'no-store',
                  connection: 'close',
                })
                .end(html, () => {
                  if (settled.status === 'fulfilled') resolve(settled.value);
                  else reject(settled.reason);
                });
            });
        };
      });
    },
    close: closeAll,
  };
}
