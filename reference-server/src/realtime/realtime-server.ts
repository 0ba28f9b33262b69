/** @module `/ws/chat`: the WebSocket door of the chat engine (seed 003). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { routesById } from '@cartrita/contracts';
import { type AuthContext, type ChatConnection, userIdOf } from '@cartrita/engine';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AppContext } from '../app-context.js';
import { HttpError, toHttpError } from '../http-error.js';
import { addressKey } from '../limits/address.js';
import type { AuthFailureLimiter } from '../limits/auth-failures.js';
import { hit, type LimiterFactory, memoryLimiter } from '../limits/limiter.js';
import { authorize, createAuthenticator, identify } from '../middleware/auth/index.js';
import { generateRequestId } from '../middleware/request-id/index.js';
import { runInScope, type Scope } from '../process-guard.js';
import { Outbound, type OutboundOptions } from './outbound.js';
import { originAllowed, rejectUpgrade } from './upgrade.js';

/** The path of the WebSocket door. */
export const realtimeChatPath = '/ws/chat';

/** The close code sent when the client secret a socket was opened with expires. */
export const SECRET_EXPIRED_CLOSE_CODE = 4401;

/** Options of {@link createRealtimeServer}. */
export interface RealtimeServerOptions {
  /** The app's context: configuration, logger, signing key and chat engine. */
  context: Pick<AppContext, 'config' | 'logger' | 'engine'>;
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
  outbound?: Omit<OutboundOptions, 'onOverflow'>;
  /** The clock, for tests; default `Date.now`. */
  now?: () => number;
}

/** The WebSocket door, attached to an HTTP server's `upgrade` event. */
export interface RealtimeServer {
  /**
   * Takes an upgrade request when it is for `/ws/chat` and returns `true`; returns `false` for any
   * other path, leaving the socket to the caller.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Open sockets. */
  readonly connections: number;
  /**
   * Refuses new sockets, cancels every running chat and closes every socket with 1001 (going away),
   * ending those that do not close within `graceMs` (default 1000).
   */
  close(graceMs?: number): Promise<void>;
}

interface Peer {
  socket: WebSocket;
  connection: ChatConnection;
  alive: boolean;
  expiry: ReturnType<typeof setTimeout> | undefined;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Serves `/ws/chat`. An upgrade is checked before any WebSocket exists, and refused with a plain
 * HTTP error in the envelope: a browser `Origin` that is neither the server's own nor in
 * `CORS_ORIGINS` gets 403; more than `WS_CONNECTIONS_PER_MINUTE` new connections from one IP in a
 * minute get 429 with `Retry-After`; a missing or invalid credential (`Authorization`,
 * `X-API-Key`, `X-Session-Token`, or a client secret in `access_token`) gets 401. Accepted sockets
 * speak the protocol of {@link ChatConnection}. Every `WS_HEARTBEAT_MS` each socket is pinged; one
 * that has not answered the previous ping (nor sent anything) is terminated and its chat cancelled.
 * A socket opened with a client secret is closed with 4401 when the secret expires.
 *
 * @example
 * const realtime = createRealtimeServer({ context });
 * server.on('upgrade', (req, socket, head) => {
 *   if (!realtime.handleUpgrade(req, socket, head)) rejectUpgrade(socket, HttpError.notFound('route', req.url ?? '/'), 'req_1');
 * });
 */
export const createRealtimeServer = (options: RealtimeServerOptions): RealtimeServer => {
  const { config, logger, engine } = options.context;
  const now = options.now ?? Date.now;
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const limit = config.realtime.connectionsPerMinute;
  const limiter =
    limit > 0
      ? (options.limiter ?? memoryLimiter)({ points: limit, windowMs: 60_000, keyPrefix: 'ws' })
      : undefined;
  const { auth: requirement } = routesById['chat.realtime'];
  const resolveAuth = createAuthenticator({
    apiKeys: config.security.apiKeys,
    verifyClientSecret: (token) => engine.sessions.verify(token),
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
        logger.info({ sessionId: peer.connection.sessionId }, 'A /ws/chat peer missed its heartbeat');
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
  const admit = async (req: IncomingMessage): Promise<AuthContext> => {
    if (closing) throw new HttpError('SERVICE_UNAVAILABLE', 'The server is stopping.');
    if (!originAllowed(req, config.security.corsOrigins)) {
      throw HttpError.forbidden(`Origin ${req.headers.origin} is not allowed to open ${realtimeChatPath}`, {
        origin: req.headers.origin,
      });
    }
    const ip = clientIp(req);
    if (limiter) {
      const counted = await hit(limiter, addressKey(ip));
      if (counted.limited) {
        throw HttpError.rateLimited(
          counted.resetMs,
          `At most ${limit} new ${realtimeChatPath} connections per minute; retry in ${Math.ceil(counted.resetMs / 1000)} s`,
        );
      }
    }
    const caller = await identify(resolveAuth, req);
    const refused = await authorize(caller, requirement, { ip, failures: options.failures });
    if (refused) throw refused;
    return caller.auth;
  };

  const connect = (socket: WebSocket, req: IncomingMessage, auth: AuthContext, requestId: string) => {
    const outbound = new Outbound(socket, {
      ...options.outbound,
      onOverflow: () => {
        logger.warn({ sessionId: peer.connection.sessionId }, 'A /ws/chat client read too slowly; dropped');
        peer.connection.close();
        socket.terminate();
      },
    });
    const peer: Peer = {
      socket,
      alive: true,
      expiry: undefined,
      connection: engine.connect({
        send: (message) => outbound.send(message),
        userId: userIdOf(auth) as string,
        baseUrl: baseUrlOf(req),
      }),
    };
    peers.add(peer);
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
      fields: { socket: realtimeChatPath, sessionId: peer.connection.sessionId },
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
          logger.error(
            { err: error, requestId },
            `A ${realtimeChatPath} message failed; the socket was closed`,
          );
          scope.close();
        }
      });
    });
    socket.on('error', (error) => logger.debug({ err: error }, 'A /ws/chat socket failed'));
    socket.on('close', () => {
      peers.delete(peer);
      clearTimeout(peer.expiry);
      peer.connection.close();
      outbound.close();
    });
    logger.debug({ sessionId: peer.connection.sessionId }, 'A /ws/chat socket opened');
    peer.connection.open();
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const requestId = generateRequestId();
    // Until `ws` owns the socket, a reset must not become an uncaught error.
    const onError = () => socket.destroy();
    socket.on('error', onError);
    let auth: AuthContext;
    try {
      auth = await admit(req);
    } catch (failure) {
      const error = toHttpError(failure);
      if (error.code === 'INTERNAL_ERROR') logger.error({ err: failure }, 'A /ws/chat upgrade failed');
      logger.info(
        { requestId, status: error.status, code: error.code },
        `Refused a ${realtimeChatPath} upgrade`,
      );
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
      connect(ws, req, auth, requestId);
    });
  };

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== realtimeChatPath) return false;
      void upgrade(req, socket, head);
      return true;
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
