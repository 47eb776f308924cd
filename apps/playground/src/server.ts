import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackListener {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // Keep-alive sockets and event streams would hold close() open.
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Listens on 127.0.0.1 and ::1 on one port. The playground's origin is `http://localhost:PORT` (LightFi's default
 * callback is `http://localhost:3000/`), and browsers may resolve localhost to either family; loopback only,
 * because the server holds tokens.
 */
export async function listenOnLoopback(handler: RequestListener, port: number): Promise<LoopbackListener> {
  for (let attempt = 1; ; attempt++) {
    const v4 = createServer(handler);
    await listen(v4, port, '127.0.0.1');
    const actual = (v4.address() as AddressInfo).port;
    const v6 = createServer(handler);
    const servers = [v4];
    try {
      await listen(v6, actual, '::1');
      servers.push(v6);
    } catch (error) {
      const code = errorCode(error);
      // No IPv6 loopback on this machine: localhost can only mean 127.0.0.1.
      if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
        await closeServer(v4);
        // A random port can be free on one family and taken on the other: pick another.
        if (code === 'EADDRINUSE' && port === 0 && attempt < 5) continue;
        throw error;
      }
    }
    return {
      port: actual,
      close: async () => {
        await Promise.all(servers.map(closeServer));
      },
    };
  }
}
