import {
  ChatKitRequest,
  type ChatKitSession,
  grantsScope,
  type Scope,
  SessionCreateParams,
} from '@cartrita/contracts';
import type { Request } from 'express';
import type { AppContext } from '../app-context.js';
import { userIdOf } from '../auth/auth-context.js';
import { signClientSecret } from '../auth/client-secret.js';
import type { ChatKitContext } from '../engine/chatkit/processor.js';
import { newId, now } from '../engine/ids.js';
import { receiveFile } from '../http/multipart.js';
import { writeSse } from '../http/sse.js';
import { HttpError } from '../http-error.js';
import type { HandlerContext, RouteHandlers } from './types.js';

/** The origin clients reach this server at, for absolute URLs. */
export const baseUrlOf = (req: Request, app: AppContext): string =>
  app.config.server.publicUrl ??
  `${req.protocol}://${req.get('host') ?? `${app.config.server.host}:${app.config.server.port}`}`;

const chatKitContext = ({ req, app, signal }: HandlerContext): ChatKitContext => {
  const userId = userIdOf(req.auth);
  if (!userId) throw new HttpError('UNAUTHORIZED', 'A client secret or an API key is required.');
  return { userId, baseUrl: baseUrlOf(req, app), signal };
};

const signedAttachment = async ({ params, query, app }: HandlerContext, purpose: 'upload' | 'preview') => {
  const id = params.attachment_id!;
  const problem = app.processor.urls.check(id, purpose, String(query.expires), String(query.sig));
  if (problem) {
    throw new HttpError(
      'FORBIDDEN',
      `This ${purpose} link is ${problem === 'expired' ? 'expired' : 'not valid'}.`,
    );
  }
  const attachment = await app.processor.store.attachments.getById(id);
  if (!attachment) throw HttpError.notFound('attachment', id);
  return attachment;
};

/** The ChatKit door. */
export const chatkitHandlers: RouteHandlers = {
  'chatkit.session.create': async ({ req, body, app }) => {
    const params = SessionCreateParams.parse(body ?? {});
    // The route is open: a key is needed only where the configuration or a named user asks for one.
    const key = req.auth?.kind === 'api_key' ? req.auth : undefined;
    const lacking = (scopes: readonly Scope[]) =>
      scopes.find((scope) => !grantsScope(key?.scopes ?? [], scope));
    if (app.config.security.requireApiKeyForSessions) {
      if (!key) {
        if (req.authFailure) throw req.authFailure;
        throw new HttpError('UNAUTHORIZED', 'This server issues sessions only to callers with an API key.', {
          headers: { 'WWW-Authenticate': 'Bearer' },
        });
      }
      if (lacking(['chat'])) {
        throw new HttpError(
          'FORBIDDEN',
          `The API key "${key.keyId}" lacks the "chat" scope needed to create sessions.`,
          {
            details: { required_scope: 'chat' },
          },
        );
      }
    }
    if (params.user) {
      if (!key)
        throw new HttpError('FORBIDDEN', 'Only a caller with an API key may name the user of a session.');
      const missing = lacking(['chat', 'act_as_user']);
      if (missing) {
        throw new HttpError(
          'FORBIDDEN',
          `The API key "${key.keyId}" lacks the "${missing}" scope needed to create a session for a named user.`,
          { details: { required_scope: missing } },
        );
      }
    }
    const userId = params.user ? `usr_${params.user}` : newId('user', 8);
    const ttl = params.ttl_seconds ?? app.config.sessions.ttlSeconds;
    const createdAt = now();
    const expiresAt = new Date(Date.parse(createdAt) + ttl * 1000);
    const sessionId = newId('session', 8);
    await app.sessions.create({ id: sessionId, userId, createdAt, expiresAt: expiresAt.toISOString() });
    const session: ChatKitSession = {
      client_secret: signClientSecret({ sessionId, userId, expiresAt }, app.signingKey),
      session_id: sessionId,
      expires_at: expiresAt.toISOString(),
      user_id: userId,
      capabilities: {
        transcription: false,
        attachments: { max_bytes: app.config.uploads.maxBytes, accept: app.config.uploads.allowedTypes },
      },
    };
    return session;
  },

  'chatkit.request': async (ctx) => {
    const request = ChatKitRequest.parse(ctx.body);
    const result = await ctx.app.processor.process(request, chatKitContext(ctx));
    if (result.kind === 'json') return result.body;
    await writeSse(ctx.res, result.events);
    return undefined;
  },

  'chatkit.attachments.upload': async (ctx) => {
    const chatkit = chatKitContext(ctx);
    const { app, req } = ctx;
    const blobKey = newId('attachment', 12);
    const file = await receiveFile(req, {
      field: 'file',
      maxBytes: app.config.uploads.maxBytes,
      blobs: app.blobs,
      blobKey,
      accept: ({ mimeType }) => app.processor.checkUpload(mimeType, undefined),
    });
    return app.processor.createUploaded(file, chatkit);
  },

  'chatkit.attachments.upload_bytes': async (ctx) => {
    const { app, req } = ctx;
    const attachment = await signedAttachment(ctx, 'upload');
    if (attachment.status === 'uploaded') {
      throw new HttpError('CONFLICT', `Attachment ${attachment.id} already has its bytes.`);
    }
    const file = await receiveFile(req, {
      field: 'file',
      maxBytes: Math.min(
        app.config.uploads.maxBytes,
        Math.max(attachment.size, 0) || app.config.uploads.maxBytes,
      ),
      blobs: app.blobs,
      blobKey: attachment.id,
      declaredType: attachment.mime_type,
    });
    return app.processor.completeUpload(attachment, file.blobKey, file.size, {
      userId: attachment.user_id,
      baseUrl: baseUrlOf(req, app),
      signal: ctx.signal,
    });
  },

  'chatkit.attachments.preview': async (ctx) => {
    const attachment = await signedAttachment(ctx, 'preview');
    const bytes = attachment.blob_key ? await ctx.app.blobs.get(attachment.blob_key) : undefined;
    if (!bytes) throw new HttpError('ATTACHMENT_NOT_FOUND', `Attachment ${attachment.id} has no bytes yet.`);
    const { res } = ctx;
    const inline = attachment.kind === 'image';
    res.status(200).set({
      'Content-Type': attachment.mime_type,
      'Content-Length': String(attachment.size),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
      'Cache-Control': 'private, max-age=300',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    bytes.pipe(res);
    await new Promise((resolve) => res.on('close', resolve));
    return undefined;
  },
};
