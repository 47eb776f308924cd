import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  CliConfigError,
  type ConfigFault,
  EMULATOR_NAMES,
  type EmulatorName,
  parseConfig,
} from './cli-config.js';
import { type CliEmulators, describeRunning, injectFault } from './cli-emulators.js';
import type { RecordedRequest } from './request-log.js';

/** The control endpoint of `auth-emulators`, for tests in another process or another language. */
export interface ControlServer {
  /** `http://HOST:PORT`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > 1024 * 1024) throw new HttpError(413, 'body larger than 1 MiB');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function emulatorsOf(query: URLSearchParams): EmulatorName[] {
  const name = query.get('emulator');
  if (name === null) return [...EMULATOR_NAMES];
  if (!(EMULATOR_NAMES as readonly string[]).includes(name)) {
    throw new HttpError(400, `emulator must be one of ${EMULATOR_NAMES.join(', ')}, got '${name}'`);
  }
  return [name as EmulatorName];
}

/**
 * Serves the control endpoint on `host:port`:
 *
 * | route | does |
 * | --- | --- |
 * | `GET /` | everything the CLI printed with `--json` |
 * | `GET /clock` | `{ now }` (epoch ms) |
 * | `POST /clock/advance` `{ ms }` | moves the shared clock forward (negative: back); answers `{ now }` |
 * | `POST /clock/set` `{ now }` (epoch ms or ISO-8601) | jumps the clock |
 * | `GET /faults` | the faults still waiting, per emulator |
 * | `POST /faults` `{ emulator, route, fault, times? }` | injects a fault, as in the config file's `faults` |
 * | `DELETE /faults?emulator=` | withdraws faults (of one emulator, or all) |
 * | `GET /requests?emulator=&method=&path=` | the request log, oldest first (`path` may be a `:param` pattern) |
 * | `DELETE /requests?emulator=` | clears the request log |
 * | `POST /reset` | resets every emulator (tokens, codes, counters, logs, faults); the clock is kept |
 *
 * Errors answer `{ error }` with 400 (bad input, naming it) or 404.
 */
export async function startControlServer(
  running: CliEmulators,
  host: string,
  port: number,
): Promise<ControlServer> {
  let url = '';
  const sockets = new Set<Socket>();

  async function route(request: IncomingMessage, path: string, query: URLSearchParams): Promise<unknown> {
    const method = request.method ?? 'GET';
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /':
        return describeRunning(running, url);
      case 'GET /clock':
        return { now: running.clock.now() };
      case 'POST /clock/advance': {
        const body = object(await readJson(request), 'the body');
        const ms = body['ms'];
        if (typeof ms !== 'number' || !Number.isFinite(ms)) {
          throw new HttpError(400, `ms must be a finite number of milliseconds, got ${JSON.stringify(ms)}`);
        }
        running.clock.advance(ms);
        return { now: running.clock.now() };
      }
      case 'POST /clock/set': {
        const body = object(await readJson(request), 'the body');
        const now = body['now'];
        const epoch = typeof now === 'string' ? Date.parse(now) : now;
        if (typeof epoch !== 'number' || !Number.isFinite(epoch)) {
          throw new HttpError(400, `now must be epoch ms or an ISO-8601 date, got ${JSON.stringify(now)}`);
        }
        running.clock.set(epoch);
        return { now: running.clock.now() };
      }
      case 'GET /faults':
        return emulatorsOf(query).flatMap((emulator) =>
          running
            .get(emulator)
            .faults.pending()
            .map((fault) => ({
              emulator,
              route: fault.route,
              fault: fault.fault,
              remaining: Number.isFinite(fault.remaining) ? fault.remaining : 'Infinity',
              hits: fault.hits,
            })),
        );
      case 'POST /faults': {
        let fault: ConfigFault;
        try {
          const parsed = parseConfig({ faults: [await readJson(request)] }, 'POST /faults');
          fault = parsed.faults?.[0] as ConfigFault;
          injectFault(running.emulators, fault);
        } catch (error) {
          if (error instanceof HttpError) throw error;
          const message = error instanceof Error ? error.message : String(error);
          throw new HttpError(400, message.replace('faults[0]', 'body'));
        }
        return { injected: fault };
      }
      case 'DELETE /faults':
        for (const emulator of emulatorsOf(query)) running.get(emulator).faults.clear();
        return { cleared: true };
      case 'GET /requests': {
        const method = query.get('method')?.toUpperCase();
        const pathFilter = query.get('path');
        return emulatorsOf(query).flatMap((emulator) => {
          const log = running.get(emulator).requests;
          const entries: RecordedRequest[] =
            pathFilter === null
              ? log.all().filter((entry) => method === undefined || entry.method === method)
              : log.filter(method ?? '*', pathFilter);
          return entries.map((entry) => ({ emulator, ...entry }));
        });
      }
      case 'DELETE /requests':
        for (const emulator of emulatorsOf(query)) running.get(emulator).requests.clear();
        return { cleared: true };
      case 'POST /reset':
        for (const emulator of EMULATOR_NAMES) running.get(emulator).reset();
        return { reset: true };
      default:
        throw new HttpError(404, `no control route ${key}`);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = new URL(request.url ?? '/', 'http://control.invalid');
    let status = 200;
    let body: unknown;
    try {
      body = await route(request, parsed.pathname, parsed.searchParams);
    } catch (error) {
      status = error instanceof HttpError ? error.status : error instanceof CliConfigError ? 400 : 500;
      body = { error: error instanceof Error ? error.message : String(error) };
    }
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
    });
    response.end(text);
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  url = `http://${shownHost}:${address.port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
