import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EmulatorClock } from './clock.js';
import { type Fault, type FaultInjector, MALFORMED_BODY } from './fault-injection.js';
import type { EmulatorRequest, Reply } from './reply.js';
import type { RequestLog } from './request-log.js';
import type { RouteResolution, Router } from './router.js';

/** How one vendor words the answers the server itself produces (not found, crashes, injected faults). */
export interface VendorReplies {
  /**
   * An error of `status` in the vendor's shape, for unknown routes, handler crashes and `status` faults;
   * `message` defaults to the status's reason phrase.
   */
  error(status: number, message?: string): Reply;
  /** The vendor's 429 for `request`, with its rate-limit headers and `Retry-After`. */
  rateLimited(retryAfterSeconds: number, request: EmulatorRequest): Reply;
}

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Which of the emulator's servers this is, as recorded in the request log. */
  name: string;
  host: string;
  port: number;
  clock: EmulatorClock;
  requests: RequestLog;
  faults: FaultInjector;
  router: Router;
  replies: VendorReplies;
  /** Consulted before the generic 404/405, e.g. for FastAPI's trailing-slash redirect. */
  fallback?: ((request: EmulatorRequest) => Reply | undefined) | undefined;
}

/** A listening server. */
export interface RunningServer {
  /** `http://HOST:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and destroys open sockets, keep-alive ones included, so a test run ends at once. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts one emulator server: reads each request whole, logs it, applies any injected fault, routes it, and
 * stamps every answer with a `Date` header from the emulator clock.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { clock, requests, faults, router, replies } = options;
  const sockets = new Set<Socket>();

  function send(response: ServerResponse, reply: Reply, declaredLength?: number): void {
    const body = Buffer.from(reply.body, 'utf8');
    response.writeHead(reply.status, {
      ...reply.headers,
      Date: new Date(clock.now()).toUTCString(),
      'Content-Length': String(declaredLength ?? body.length),
    });
    if (declaredLength === undefined) {
      response.end(body);
      return;
    }
    // Write part of the body, then close: the client sees headers promising more than ever arrives.
    const sent = body.subarray(0, Math.floor(body.length / 2));
    response.write(sent, () => response.socket?.destroySoon());
  }

  async function dispatch(request: EmulatorRequest, resolution: RouteResolution): Promise<Reply> {
    if (resolution.kind === 'found') return resolution.handler(request);
    const fallback = options.fallback?.(request);
    if (fallback !== undefined) return fallback;
    if (resolution.kind === 'method-not-allowed') {
      const reply = replies.error(405);
      return { ...reply, headers: { ...reply.headers, Allow: resolution.allow.join(', ') } };
    }
    return replies.error(404);
  }

  function faultReply(fault: Fault, request: EmulatorRequest): Reply | undefined {
    switch (fault.kind) {
      case 'status': {
        if (fault.body === undefined) {
          const reply = replies.error(fault.status);
          return { ...reply, headers: { ...reply.headers, ...fault.headers } };
        }
        const isText = typeof fault.body === 'string';
        return {
          status: fault.status,
          headers: {
            'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json',
            ...fault.headers,
          },
          body: isText ? String(fault.body) : JSON.stringify(fault.body),
        };
      }
      case 'rate-limit':
        return replies.rateLimited(fault.retryAfterSeconds ?? 60, request);
      case 'malformed': {
        const body = fault.body === undefined ? MALFORMED_BODY : fault.body;
        return {
          status: 200,
          headers: { 'Content-Type': fault.contentType ?? 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        };
      }
      default:
        return undefined;
    }
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: string | undefined;
    try {
      body = await readBody(incoming);
    } catch {
      incoming.socket.destroy();
      return;
    }
    const url = new URL(incoming.url ?? '/', 'http://emulator.invalid');
    const method = (incoming.method ?? 'GET').toUpperCase();
    const headers = lowerCaseHeaders(incoming);
    const entry = requests.record({
      server: options.name,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: body ?? '',
      status: 0,
      at: clock.now(),
    });
    const reply = (value: Reply, declaredLength?: number): void => {
      entry.status = value.status;
      send(response, value, declaredLength);
    };
    if (body === undefined) {
      reply(replies.error(413));
      return;
    }
    const resolution = router.resolve(method, url.pathname);
    const request: EmulatorRequest = {
      method,
      path: url.pathname,
      url,
      query: url.searchParams,
      headers,
      body,
      params: resolution.kind === 'found' ? resolution.params : {},
      remoteAddress: incoming.socket.remoteAddress ?? '',
    };
    const fault = faults.take(
      method,
      url.pathname,
      resolution.kind === 'found' ? resolution.pattern : undefined,
    );
    if (fault !== undefined) entry.fault = fault.kind;
    if (fault?.kind === 'reset') {
      incoming.socket.destroy();
      return;
    }
    if (fault?.kind === 'latency') await sleep(fault.ms);
    const injected = fault && faultReply(fault, request);
    if (injected !== undefined) {
      reply(injected);
      return;
    }
    let answer: Reply;
    try {
      answer = await dispatch(request, resolution);
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
      answer = replies.error(500);
    }
    if (fault?.kind === 'drop-after-processing') {
      incoming.socket.destroy();
      return;
    }
    if (fault?.kind === 'truncated') {
      const length = Buffer.byteLength(answer.body);
      reply(answer, length < 2 ? length + 16 : length);
      return;
    }
    reply(answer);
  }

  const server = createServer((incoming, response) => {
    void handle(incoming, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
