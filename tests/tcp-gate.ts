/**
 * @module A TCP relay on 127.0.0.1 that a test can shut and open again, to cut a client off from a
 * server (Redis, say) for as long as it likes while the server stays up for everyone else.
 */
import { connect, createServer, type Socket } from 'node:net';

/** A running gate. */
export interface TcpGate {
  /** The port clients connect to instead of the server's. */
  readonly port: number;
  /** Breaks every relayed connection and stops listening: new connections are refused until {@link TcpGate.open}. */
  shut(): Promise<void>;
  /** Listens on the same port again. */
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a gate in front of `127.0.0.1:<targetPort>`, open. */
export const startTcpGate = async (targetPort: number): Promise<TcpGate> => {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });
  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, shut: stop, open: () => listen(port), close: stop };
};
