import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of an emulator, for the one fault the emulators cannot make: a request dropped
 * before the server ever saw it. `refuse()` closes every connection and stops listening, so the next request fails
 * to connect (ECONNREFUSED: certainly not processed); `accept()` listens again on the same port.
 */
export interface TcpProxy {
  readonly url: string;
  refuse(): Promise<void>;
  accept(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy forwarding to `target` (`http://127.0.0.1:PORT`). */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async (): Promise<void> => {
    const created = createServer((client) => {
      const upstream = connect(Number(targetPort), hostname);
      sockets.add(client);
      sockets.add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => resolve());
    });
    const address = created.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    port = address.port;
    server = created;
  };

  const stop = async (): Promise<void> => {
    const running = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (running !== undefined) await new Promise<void>((resolve) => running.close(() => resolve()));
  };

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    refuse: stop,
    accept: listen,
    close: stop,
  };
}
