/** @module The client address of an upgrade request, by the Express app's `trust proxy` rules. */
import type { IncomingMessage } from 'node:http';
import type { Express } from 'express';

/**
 * Reads an upgrade request's client address the way `req.ip` does for the app's ordinary requests,
 * honouring its `trust proxy` setting (`TRUST_PROXY`). Upgrades never pass through Express, so the
 * request is viewed through the app's request prototype instead.
 */
export const expressClientIp =
  (app: Express) =>
  (req: IncomingMessage): string => {
    const view = Object.create(app.request, {
      app: { value: app },
      headers: { value: req.headers },
      socket: { value: req.socket },
    }) as { ip?: string };
    return view.ip ?? req.socket.remoteAddress ?? 'unknown';
  };
