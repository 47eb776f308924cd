import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LogEntry } from './event-log.js';
import type { VendorSession } from './session.js';
import type { TokenView } from './token-view.js';

const HEARTBEAT_MS = 20_000;

/** The open event streams, so that closing the playground can end them. */
export class EventStreams {
  readonly #open = new Set<() => void>();

  /**
   * Streams a vendor log as Server-Sent Events: first what the page missed (`after`), then each new entry, each
   * with the token view as it is after the event (counters and countdowns update without a reload).
   */
  open(c: Context, session: VendorSession, after: number, view: () => Promise<TokenView>): Response {
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let end: () => void = () => undefined;
      const ended = new Promise<void>((resolve) => {
        end = resolve;
      });
      this.#open.add(end);
      stream.onAbort(end);
      // Entries are written in order even though each waits for its view.
      let queue = Promise.resolve();
      const send = (entry: LogEntry) => {
        queue = queue
          .then(async () => {
            if (stream.aborted || stream.closed) return;
            await stream.writeSSE({
              id: String(entry.id),
              event: 'log',
              data: JSON.stringify({ entry, view: await view() }),
            });
          })
          // A view that cannot be read (store trouble) drops this update; the stream goes on.
          .catch(() => undefined);
      };
      await stream.write('retry: 2000\n\n');
      for (const entry of session.log.after(after)) send(entry);
      const unsubscribe = session.log.subscribe(send);
      const heartbeat = setInterval(() => {
        stream.write(': keep-alive\n\n').catch(end);
      }, HEARTBEAT_MS);
      heartbeat.unref();
      await ended;
      clearInterval(heartbeat);
      unsubscribe();
      this.#open.delete(end);
      await queue;
    });
  }

  closeAll(): void {
    for (const end of this.#open) end();
    this.#open.clear();
  }
}
