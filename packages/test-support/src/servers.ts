/** Local servers for the repository's own tests (Node only). */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server on 127.0.0.1 that takes every request and never answers. */
export interface SilentServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** How many requests it has taken. */
  requests(): number;
  /** Drops the open connections and stops listening. */
  close(): Promise<void>;
}

/** Starts a {@link SilentServer}: a token endpoint that never answers, for timeout tests. */
export async function silentServer(): Promise<SilentServer> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req) => {
    count++;
    req.resume();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
