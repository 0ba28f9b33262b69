/** @module Starting and stopping the reference server over HTTP. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CreateAppOptions, createApp } from './app.js';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { answerClientError } from './http/client-error.js';
import { HttpError } from './http-error.js';
import { generateRequestId } from './middleware/request-id/index.js';
import { guardProcess } from './process-guard.js';
import { createRealtimeServer, expressClientIp, rejectUpgrade } from './realtime/index.js';

/** A listening server. */
export interface RunningServer {
  /** The URL it listens on, such as `http://127.0.0.1:8000`. */
  url: string;
  server: Server;
  context: AppContext;
  /**
   * Stops taking connections, lets running requests finish for up to `graceMs`, then closes the
   * rest and the database.
   */
  close(graceMs?: number): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions extends CreateAppOptions {
  /**
   * Called once a shutdown asked for by `POST /api/shutdown` has finished (the CLI exits with 0);
   * by default the process is left to end by itself.
   */
  onShutdown?: () => void;
  /**
   * Whether an error that escapes a request or socket is caught at the process level, logged with
   * its request id and charged to that request alone, so the server keeps serving (default true).
   * Turn it off when something else owns the process's handlers, such as a test runner.
   */
  guardProcess?: boolean;
}

/**
 * Builds the app and listens on the configured host and port. Requests Node's HTTP parser refuses
 * are answered in the error envelope; errors that escape a request end only that request.
 */
export const startServer = async (
  config: Config,
  options: StartServerOptions = {},
): Promise<RunningServer> => {
  const { app, context, close, authFailures, limiter } = await createApp(config, options);
  const unguard = options.guardProcess === false ? () => {} : guardProcess(context.logger);
  // Host is checked by the app, which answers its absence in the envelope like any other 400.
  const server = createServer({ requireHostHeader: false }, app);
  server.on('clientError', answerClientError(context.logger));
  // Streams may be quiet for a long time; keep-alive sockets must outlive typical proxies' pools.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // WebSocket doors: `/ws/chat`; any other upgrade is refused with a 404 envelope.
  const realtime = createRealtimeServer({
    context,
    clientIp: expressClientIp(app),
    failures: authFailures,
    limiter,
  });
  server.on('upgrade', (req, socket, head) => {
    if (realtime.handleUpgrade(req, socket, head)) return;
    const path = (req.url ?? '/').split('?')[0];
    rejectUpgrade(
      socket,
      new HttpError('NOT_FOUND', `No WebSocket is served at ${path}`),
      generateRequestId(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A burst of thousands of connections must wait in the accept queue, not be reset: ask for a
    // deep one (the kernel caps it at net.core.somaxconn, 4096 on current Linux).
    server.listen({ port: config.server.port, host: config.server.host, backlog: 8192 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  let closing: Promise<void> | undefined;
  const stop = (graceMs: number, deadlineMs?: number) =>
    (closing ??= (async () => {
      // New requests get 503 and the listener closes; running commands may finish until the deadline.
      context.lifecycle.stopping = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await context.engine.commands.drain(
        deadlineMs ?? context.config.commands.shutdownDeadlineSeconds * 1000,
      );
      // Upgraded sockets would keep `server.close` waiting: close them (and cancel their chats) first.
      await realtime.close(Math.min(graceMs, 1_000));
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await done;
      clearTimeout(timer);
      await close(deadlineMs);
      unguard();
      context.logger.flush();
    })());
  context.lifecycle.shutdown = (deadlineMs) => {
    context.logger.info({ deadlineMs }, 'Shutting down, as POST /api/shutdown asked');
    stop(Math.max(deadlineMs, 1_000), deadlineMs).then(
      () => options.onShutdown?.(),
      (error: unknown) => context.logger.error({ err: error }, 'Shutdown failed'),
    );
  };
  return {
    url,
    server,
    context,
    close: (graceMs = 5_000) => stop(graceMs),
  };
};
