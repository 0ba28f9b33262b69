/** @module The WebSocket doors: `/ws/chat` (seed 003) and a session's event stream (seed 001). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { routesById } from '@cartrita/contracts';
import type { AuthContext } from '@cartrita/engine';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AppContext } from '../app-context.js';
import { HttpError, toHttpError } from '../http-error.js';
import { addressKey } from '../limits/address.js';
import type { AuthFailureLimiter } from '../limits/auth-failures.js';
import { hit, type LimiterFactory, memoryLimiter } from '../limits/limiter.js';
import { authorize, createAuthenticator, identify } from '../middleware/auth/index.js';
import { generateRequestId } from '../middleware/request-id/index.js';
import { runInScope, type Scope } from '../process-guard.js';
import { chatDoor } from './chat-door.js';
import { eventsDoor } from './events-door.js';
import { Outbound, type OutboundOptions } from './outbound.js';
import { type DoorConnection, matchPath, type SocketDoor } from './socket-door.js';
import { studioDoor } from './studio-door.js';
import { originAllowed, rejectUpgrade } from './upgrade.js';

/** The path of the WebSocket door. */
export const realtimeChatPath = '/ws/chat';

/** The close code sent when the client secret a socket was opened with expires. */
export const SECRET_EXPIRED_CLOSE_CODE = 4401;

/** Options of {@link createRealtimeServer}. */
export interface RealtimeServerOptions {
  /** The app's context: configuration, logger and engine, and where open sockets are counted. */
  context: Pick<AppContext, 'config' | 'logger' | 'engine'> & Partial<Pick<AppContext, 'sockets'>>;
  /** The doors served; default `/ws/chat` and the session event stream. */
  doors?: readonly SocketDoor[];
  /**
   * The client's address, for the connection rate limit. Default: the socket's peer address. Pass
   * one that honours `TRUST_PROXY` behind a proxy (`startServer` does), or every client shares the
   * proxy's limit.
   */
  clientIp?: (req: IncomingMessage) => string;
  /** Where connection counts live; default this process's memory. */
  limiter?: LimiterFactory;
  /** The failed-authentication budget per address, shared with the HTTP routes. */
  failures?: AuthFailureLimiter;
  /** Backpressure limits of each socket. */
  outbound?: Pick<OutboundOptions, 'highWaterMark' | 'maxQueuedBytes' | 'pollMs'>;
  /** The clock, for tests; default `Date.now`. */
  now?: () => number;
}

/** The WebSocket door, attached to an HTTP server's `upgrade` event. */
export interface RealtimeServer {
  /**
   * Takes an upgrade request when it is for one of the doors and returns `true`; returns `false`
   * for any other path, leaving the socket to the caller.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Open sockets. */
  readonly connections: number;
  /**
   * Refuses new sockets, stops what runs for each (chats, event streams) and closes every socket
   * with 1001 (going away), ending those that do not close within `graceMs` (default 1000).
   */
  close(graceMs?: number): Promise<void>;
}

interface Peer {
  door: SocketDoor;
  socket: WebSocket;
  connection: DoorConnection;
  alive: boolean;
  expiry: ReturnType<typeof setTimeout> | undefined;
  fields: Record<string, unknown>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Serves the WebSocket doors. An upgrade is checked before any WebSocket exists, and refused with
 * a plain HTTP error in the envelope: a browser `Origin` that is neither the server's own nor in
 * `CORS_ORIGINS` gets 403; more than `WS_CONNECTIONS_PER_MINUTE` new connections from one IP in a
 * minute get 429 with `Retry-After`; a missing or invalid credential (`Authorization`,
 * `X-API-Key`, `X-Session-Token`, or a client secret in `access_token`) gets 401, one without the
 * route's scope 403, and the door's own checks (a session the caller does not reach: 404) follow.
 * Every `WS_HEARTBEAT_MS` each socket is pinged; one that has not answered the previous ping (nor
 * sent anything) is terminated and what runs for it stopped. A socket opened with a client secret
 * is closed with 4401 when the secret expires.
 *
 * @example
 * const realtime = createRealtimeServer({ context });
 * server.on('upgrade', (req, socket, head) => {
 *   if (!realtime.handleUpgrade(req, socket, head)) rejectUpgrade(socket, HttpError.notFound('route', req.url ?? '/'), 'req_1');
 * });
 */
export const createRealtimeServer = (options: RealtimeServerOptions): RealtimeServer => {
  const { config, logger } = options.context;
  const doors = options.doors ?? [
    chatDoor(options.context),
    eventsDoor(options.context),
    studioDoor(options.context),
  ];
  const sockets = options.context.sockets;
  const now = options.now ?? Date.now;
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const limit = config.realtime.connectionsPerMinute;
  const limiter =
    limit > 0
      ? (options.limiter ?? memoryLimiter)({ points: limit, windowMs: 60_000, keyPrefix: 'ws' })
      : undefined;
  const resolveAuth = createAuthenticator({
    apiKeys: config.security.apiKeys,
    verifyClientSecret: (token) => options.context.engine.chatkitSessions.verify(token),
  });
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // A chat message is at most 100 000 characters: up to 400 KB of UTF-8, plus the JSON around it.
    maxPayload: 1024 * 1024,
  });
  const peers = new Set<Peer>();
  let closing = false;

  const heartbeat = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        logger.info(peer.fields, 'A WebSocket peer missed its heartbeat');
        peer.connection.close();
        peer.socket.terminate();
        continue;
      }
      peer.alive = false;
      peer.socket.ping();
    }
  }, config.realtime.heartbeatMs);
  heartbeat.unref();

  const baseUrlOf = (req: IncomingMessage): string =>
    config.server.publicUrl ?? `http://${req.headers.host ?? `${config.server.host}:${config.server.port}`}`;

  /** The checks of an upgrade, in order of cost; throws the `HttpError` to answer. */
  const admit = async (
    req: IncomingMessage,
    door: SocketDoor,
    path: string,
    params: Record<string, string>,
  ) => {
    if (closing) throw new HttpError('SERVICE_UNAVAILABLE', 'The server is stopping.');
    if (!originAllowed(req, config.security.corsOrigins)) {
      throw HttpError.forbidden(`Origin ${req.headers.origin} is not allowed to open ${path}`, {
        origin: req.headers.origin,
      });
    }
    const ip = clientIp(req);
    if (limiter) {
      const counted = await hit(limiter, addressKey(ip));
      if (counted.limited) {
        throw HttpError.rateLimited(
          counted.resetMs,
          `At most ${limit} new WebSocket connections per minute; retry in ${Math.ceil(counted.resetMs / 1000)} s`,
        );
      }
    }
    const caller = await identify(resolveAuth, req);
    const refused = await authorize(caller, routesById[door.routeId].auth, {
      ip,
      failures: options.failures,
    });
    if (refused) throw refused;
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const admission = await door.admit({ req, auth: caller.auth, params, query, baseUrl: baseUrlOf(req) });
    return { auth: caller.auth, admission };
  };

  const connect = (
    socket: WebSocket,
    door: SocketDoor,
    path: string,
    auth: AuthContext,
    admission: Awaited<ReturnType<SocketDoor['admit']>>,
    requestId: string,
  ) => {
    const fields = { socket: path, ...admission.fields };
    const outbound = new Outbound<unknown>(socket, {
      ...options.outbound,
      ...admission.outbound,
      onOverflow: () => {
        logger.warn(fields, 'A WebSocket client read too slowly; dropped');
        peer.connection.close();
        socket.terminate();
      },
    });
    const peer: Peer = {
      door,
      socket,
      alive: true,
      expiry: undefined,
      fields,
      connection: admission.open({
        send: (message) => outbound.send(message),
        close: (code, reason) => socket.close(code, reason),
      }),
    };
    peers.add(peer);
    if (sockets) sockets[door.name] += 1;
    if (auth.kind === 'client_secret') {
      const remaining = auth.expiresAt.getTime() - now();
      if (remaining <= MAX_TIMER_MS) {
        peer.expiry = setTimeout(
          () => socket.close(SECRET_EXPIRED_CLOSE_CODE, 'The client secret has expired'),
          remaining,
        );
        peer.expiry.unref();
      }
    }
    socket.on('pong', () => {
      peer.alive = true;
    });
    // Whatever escapes a message's handling, now or later, ends this socket alone.
    const scope: Scope = {
      requestId,
      logger,
      fields,
      close: () => {
        peer.connection.close();
        socket.close(1011, 'Internal error');
        setTimeout(() => socket.terminate(), 1_000).unref();
      },
    };
    socket.on('message', (data, isBinary) => {
      peer.alive = true;
      runInScope(scope, () => {
        try {
          if (isBinary) peer.connection.receiveBinary();
          else peer.connection.receive(data.toString());
        } catch (error) {
          logger.error({ err: error, requestId }, `A ${path} message failed; the socket was closed`);
          scope.close();
        }
      });
    });
    socket.on('error', (error) => logger.debug({ err: error, ...fields }, 'A WebSocket failed'));
    socket.on('close', () => {
      peers.delete(peer);
      if (sockets) sockets[door.name] -= 1;
      clearTimeout(peer.expiry);
      peer.connection.close();
      outbound.close();
    });
    logger.debug(fields, 'A WebSocket opened');
    runInScope(scope, () => peer.connection.start());
  };

  const upgrade = async (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    door: SocketDoor,
    path: string,
    params: Record<string, string>,
  ) => {
    const requestId = generateRequestId();
    // Until `ws` owns the socket, a reset must not become an uncaught error.
    const onError = () => socket.destroy();
    socket.on('error', onError);
    let admitted: Awaited<ReturnType<typeof admit>>;
    try {
      admitted = await admit(req, door, path, params);
    } catch (failure) {
      const error = toHttpError(failure);
      if (error.code === 'INTERNAL_ERROR') logger.error({ err: failure, path }, 'A WebSocket upgrade failed');
      logger.info({ requestId, status: error.status, code: error.code, path }, 'Refused a WebSocket upgrade');
      rejectUpgrade(socket, error, requestId);
      return;
    }
    if (socket.destroyed) return;
    socket.off('error', onError);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing) {
        ws.close(1001, 'The server is stopping');
        return;
      }
      connect(ws, door, path, admitted.auth, admitted.admission, requestId);
    });
  };

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0] as string;
      for (const door of doors) {
        const params = matchPath(routesById[door.routeId].path, path);
        if (params === undefined) continue;
        void upgrade(req, socket, head, door, path, params);
        return true;
      }
      return false;
    },
    get connections() {
      return peers.size;
    },
    async close(graceMs = 1_000) {
      closing = true;
      clearInterval(heartbeat);
      const open = [...peers];
      const closed = Promise.all(
        open.map(
          (peer) =>
            new Promise<void>((resolve) => {
              if (peer.socket.readyState === peer.socket.CLOSED) return resolve();
              peer.socket.once('close', () => resolve());
            }),
        ),
      );
      for (const peer of open) {
        peer.connection.close();
        peer.socket.close(1001, 'The server is stopping');
      }
      const timer = setTimeout(() => {
        for (const peer of open) peer.socket.terminate();
      }, graceMs);
      await closed;
      clearTimeout(timer);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};
