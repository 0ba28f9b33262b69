/**
 * @module A TCP proxy on 127.0.0.1 for fault tests: it relays bytes between a client and a server and
 * can break a connection after a chosen number of response bytes, when it has been idle too long
 * (as a load balancer's idle timeout does), or at once (every open connection, as a failed network
 * does; `refusing` keeps the network down). It knows just enough HTTP to tell where a request starts
 * on a kept-alive connection.
 */
import { connect, createServer, type Socket } from 'node:net';

/** Options of {@link startProxy}. */
export interface ProxyOptions {
  /** Where to relay to: `http://127.0.0.1:<port>`. */
  target: string;
  /**
   * Asked at the start of each request with its head (request line and headers, as far as the first
   * packet holds them): after how many bytes of its response the connection is to be cut. `undefined`
   * or `Infinity`: never.
   */
  cutAfter?: (head: string) => number | undefined;
  /** Drops a connection on which nothing moved for this many milliseconds. Default: never. */
  idleTimeoutMs?: number;
}

/** A running proxy. */
export interface TcpProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Connections cut by `cutAfter` so far. */
  readonly cuts: number;
  /** Connections dropped by the idle timeout so far. */
  readonly idleDrops: number;
  /** The response bytes of the last request so far (for working out where to cut). */
  readonly lastResponse: Buffer;
  /**
   * Breaks every open connection now, as a failed network does (also a WebSocket mid-stream), and
   * answers how many it broke; later connections are relayed as before.
   */
  cutAll(): number;
  /** While set, every new connection is broken as it arrives: the network is down. */
  refusing: boolean;
  close(): Promise<void>;
}

const requestLine = /^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/;

/** Starts a proxy on a free port of 127.0.0.1. */
export const startProxy = async (options: ProxyOptions): Promise<TcpProxy> => {
  const target = new URL(options.target);
  let cuts = 0;
  let idleDrops = 0;
  let last: Buffer[] = [];
  let refusing = false;
  const sockets = new Set<Socket>();
  /** Breaks one relayed connection, both ends. */
  const kills = new Set<() => void>();

  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    let cutAt = Number.POSITIVE_INFINITY;
    let sent = 0;
    let response: Buffer[] = [];
    let dead = false;
    const kill = () => {
      dead = true;
      client.destroy();
      upstream.destroy();
    };
    kills.add(kill);

    client.on('data', (chunk: Buffer) => {
      if (dead) return;
      const head = chunk.toString('latin1');
      if (requestLine.test(head)) {
        response = [];
        last = response;
        sent = 0;
        cutAt = options.cutAfter?.(head) ?? Number.POSITIVE_INFINITY;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dead) return;
      if (sent + chunk.length >= cutAt) {
        const keep = chunk.subarray(0, Math.max(0, cutAt - sent));
        response.push(keep);
        cuts++;
        dead = true;
        // The bytes before the cut still arrive; then the connection breaks.
        client.write(keep, () => kill());
        return;
      }
      sent += chunk.length;
      response.push(chunk);
      client.write(chunk);
    });
    if (options.idleTimeoutMs !== undefined) {
      client.setTimeout(options.idleTimeoutMs, () => {
        if (dead) return;
        idleDrops++;
        kill();
      });
    }
    const close = () => {
      kill();
      kills.delete(kill);
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    get cuts() {
      return cuts;
    },
    get idleDrops() {
      return idleDrops;
    },
    get lastResponse() {
      return Buffer.concat(last);
    },
    cutAll() {
      const open = [...kills];
      for (const kill of open) kill();
      cuts += open.length;
      return open.length;
    },
    get refusing() {
      return refusing;
    },
    set refusing(value: boolean) {
      refusing = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same cut points, so a failure reproduces
 * with `CARTRITA_FAULT_SEED=<seed>`.
 */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
