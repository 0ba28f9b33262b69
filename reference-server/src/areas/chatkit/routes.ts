/** @module The ChatKit area's routes: session bootstrap, the protocol endpoint and attachment bytes. */
import { Readable } from 'node:stream';
import type { chatkitRoutes, IdsOf } from '@cartrita/contracts';
import { type ChatKitContext, HttpError, providerAllowed, userIdOf } from '@cartrita/engine';
import type { Request } from 'express';
import type { AppContext } from '../../app-context.js';
import { receiveFile } from '../../http/multipart.js';
import { writeSse } from '../../http/sse.js';
import type { HandlerContext, RouteHandlers } from '../../routes/types.js';

type ChatKitRouteId = IdsOf<typeof chatkitRoutes>;

/** The origin clients reach this server at, for absolute URLs. */
export const baseUrlOf = (req: Request, app: AppContext): string =>
  app.config.server.publicUrl ??
  `${req.protocol}://${req.get('host') ?? `${app.config.server.host}:${app.config.server.port}`}`;

const chatKitContext = ({
  req,
  app,
  signal,
}: Pick<HandlerContext<ChatKitRouteId>, 'req' | 'app' | 'signal'>): ChatKitContext => {
  const userId = userIdOf(req.auth);
  if (!userId) throw new HttpError('UNAUTHORIZED', 'A client secret or an API key is required.');
  return { userId, baseUrl: baseUrlOf(req, app), signal, allowProvider: providerAllowed(req.auth) };
};

/** The ChatKit door. */
export const chatkitHandlers: RouteHandlers<ChatKitRouteId> = {
  'chatkit.session.create': async ({ req, body, app }) =>
    app.engine.chatkitSessions.create(body ?? {}, {
      auth: req.auth ?? { kind: 'anonymous' },
      ...(req.authFailure ? { failure: req.authFailure } : {}),
    }),

  'chatkit.request': async (ctx) => {
    const result = await ctx.app.engine.chatkit.process(ctx.body, chatKitContext(ctx));
    if (result.kind === 'json') return result.body;
    await writeSse(ctx.res, result.events);
    return undefined;
  },

  'chatkit.attachments.upload': async (ctx) => {
    const chatkit = chatKitContext(ctx);
    return receiveFile(ctx.req, 'file', (file) => ctx.app.engine.attachments.upload(file, chatkit));
  },

  'chatkit.attachments.upload_bytes': async ({ params, query, app, req }) => {
    const attachment = await app.engine.attachments.signed(params.attachment_id, 'upload', query);
    if (attachment.status === 'uploaded') {
      throw new HttpError('CONFLICT', `Attachment ${attachment.id} already has its bytes.`);
    }
    return receiveFile(req, 'file', (file) =>
      app.engine.attachments.complete(attachment, file.bytes, baseUrlOf(req, app)),
    );
  },

  'chatkit.attachments.preview': async ({ params, query, app, res }) => {
    const attachment = await app.engine.attachments.signed(params.attachment_id, 'preview', query);
    const bytes = await app.engine.attachments.bytes(attachment);
    const inline = attachment.kind === 'image';
    res.status(200).set({
      'Content-Type': attachment.mime_type,
      'Content-Length': String(attachment.size),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
      'Cache-Control': 'private, max-age=300',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    Readable.from(bytes).pipe(res);
    await new Promise((resolve) => res.on('close', resolve));
    return undefined;
  },
};
