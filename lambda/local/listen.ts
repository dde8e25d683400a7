/** Starts an HTTP server on 127.0.0.1 only, turning "port taken" into a message a person can act on. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LocalHttpServer {
  readonly port: number;
  readonly url: string;
  /** Stops accepting, ends idle keep-alive connections, and resolves once every connection is gone. */
  readonly close: () => Promise<void>;
}

export class PortUnavailableError extends Error {
  override readonly name = 'PortUnavailableError';
}

export async function listenLocal(
  what: string,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LocalHttpServer> {
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortUnavailableError(
            `${what}: port ${port} on 127.0.0.1 is already in use; choose another with its option`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new PortUnavailableError(`${what}: not allowed to listen on port ${port} (ports below 1024 need privileges)`),
        );
      } else {
        reject(error);
      }
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Give in-flight requests a moment, then cut what is left (a stuck client must not block Ctrl-C).
        setTimeout(() => sockets.forEach((socket) => socket.destroy()), 2_000).unref();
      }),
  };
}
