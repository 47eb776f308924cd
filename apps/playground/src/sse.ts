import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogEntry } from './event-log.js';
import type { VendorSession } from './session.js';
import type { TokenView } from './token-view.js';

const HEARTBEAT_MS = 20_000;

/** The open event streams, so that closing the playground can end them. */
export class EventStreams {
  readonly #open = new Set<ServerResponse>();

  /**
   * Streams a vendor log as Server-Sent Events: first what the page missed (`after`), then each new entry, each
   * with the token view as it is after the event (counters and countdowns update without a reload).
   */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    session: VendorSession,
    after: number,
    view: () => Promise<TokenView>,
  ): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.#open.add(res);
    // Entries are written in order even though each waits for its view.
    let queue = Promise.resolve();
    const send = (entry: LogEntry) => {
      queue = queue
        .then(async () => {
          const data = JSON.stringify({ entry, view: await view() });
          if (!res.writableEnded) res.write(`id: ${entry.id}\nevent: log\ndata: ${data}\n\n`);
        })
        // A view that cannot be read (store trouble) drops this update; the stream goes on.
        .catch(() => undefined);
    };
    for (const entry of session.log.after(after)) send(entry);
    const unsubscribe = session.log.subscribe(send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.#open.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  }

  closeAll(): void {
    for (const res of this.#open) res.end();
    this.#open.clear();
  }
}
