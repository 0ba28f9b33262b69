/**
 * @module The ChatKit area's mocks: each parses what the route table says and calls the engine the
 * reference server runs, so its answers are the server's.
 */
import {
  type ChatKitContext,
  chunksOf,
  HttpError,
  type IncomingFile,
  providerAllowed,
  userIdOf,
} from '@cartrita/engine';
import { HttpResponse } from 'msw';
import type { RouteContext, RouteImplementation } from '../route-handler.js';

const chatKitContext = ({
  caller,
  store,
  signal,
}: Pick<RouteContext<'chatkit.request'>, 'caller' | 'store' | 'signal'>): ChatKitContext => {
  const userId = userIdOf(caller.auth);
  if (!userId) throw new HttpError('UNAUTHORIZED', 'A client secret or an API key is required.');
  return { userId, baseUrl: store.baseURL, signal, allowProvider: providerAllowed(caller.auth) };
};

/** The file of a multipart form's `file` field, or the server's 422 when there is none. */
const fileOf = (form: FormData): IncomingFile => {
  const file = form.get('file');
  if (!(file instanceof Blob)) {
    throw new HttpError('VALIDATION_ERROR', 'The form has no file in the field "file".', {
      details: { fields: [{ path: 'file', message: 'Required' }] },
    });
  }
  return {
    name: (file as File).name || 'upload',
    mimeType: file.type || 'application/octet-stream',
    bytes: chunksOf(file.stream()),
  };
};

/** `POST /api/chatkit/session`: a session and its client secret. */
export const createSession: RouteImplementation<'chatkit.session.create'> = async ({
  json,
  store,
  body,
  caller,
}) => json(await store.engine.chatkitSessions.create(body ?? {}, caller));

/** `POST /chatkit`: every ChatKit request type, JSON or a stream. */
export const chatkitRequest: RouteImplementation<'chatkit.request'> = async (context) => {
  const result = await context.store.engine.chatkit.process(context.body, chatKitContext(context));
  return result.kind === 'json' ? context.json(result.body) : context.sse(result.events);
};

/** `POST /chatkit/attachments`: a file uploaded directly. */
export const uploadAttachment: RouteImplementation<'chatkit.attachments.upload'> = async (context) =>
  context.json(await context.store.engine.attachments.upload(fileOf(context.body), chatKitContext(context)));

/** `POST /chatkit/attachments/{attachment_id}/upload`: the bytes of a two-phase upload, at its signed URL. */
export const uploadAttachmentBytes: RouteImplementation<'chatkit.attachments.upload_bytes'> = async ({
  json,
  store,
  params,
  query,
  body,
}) => {
  const attachment = await store.engine.attachments.signed(params.attachment_id, 'upload', query);
  if (attachment.status === 'uploaded') {
    throw new HttpError('CONFLICT', `Attachment ${attachment.id} already has its bytes.`);
  }
  return json(await store.engine.attachments.complete(attachment, fileOf(body).bytes, store.baseURL));
};

/** `GET /chatkit/attachments/{attachment_id}/preview`: the bytes behind a signed `preview_url`. */
export const previewAttachment: RouteImplementation<'chatkit.attachments.preview'> = async ({
  store,
  params,
  query,
  requestId,
}) => {
  const attachment = await store.engine.attachments.signed(params.attachment_id, 'preview', query);
  const chunks: Uint8Array[] = [];
  for await (const chunk of await store.engine.attachments.bytes(attachment)) chunks.push(chunk);
  const inline = attachment.kind === 'image';
  return new HttpResponse(new Blob(chunks as BlobPart[]), {
    headers: {
      'Content-Type': attachment.mime_type,
      'Content-Length': String(attachment.size),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
      'Cache-Control': 'private, max-age=300',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Request-Id': requestId,
    },
  });
};

/** The mocks of the ChatKit routes, by route id. */
export const chatkitImplementations = {
  'chatkit.session.create': createSession,
  'chatkit.request': chatkitRequest,
  'chatkit.attachments.upload': uploadAttachment,
  'chatkit.attachments.upload_bytes': uploadAttachmentBytes,
  'chatkit.attachments.preview': previewAttachment,
} as const;
