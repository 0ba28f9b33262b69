import * as z from 'zod/mini';
import { defineRoute } from '../../route.js';
import { Attachment } from './attachments.js';
import { ThreadStreamEvent } from './events.js';
import { ChatKitJsonResult, ChatKitRequest } from './requests.js';
import { ChatKitSession, SessionCreateParams } from './session.js';

const AttachmentParams = z.object({ attachment_id: z.string() });
/** The signature an upload or preview URL carries, so `<img>` tags and plain uploads need no header. */
export const SignedUrlQuery = z.object({ expires: z.string(), sig: z.string() });

/** The ChatKit door: session bootstrap, the protocol endpoint and attachment bytes. */
export const chatkitRoutes = [
  defineRoute({
    id: 'chatkit.session.create',
    method: 'POST',
    path: '/api/chatkit/session',
    tag: 'chatkit',
    summary: 'Create a ChatKit session and its client secret',
    description:
      'Open to browsers (CORS allowlist, rate limited per IP) unless the server requires an API key. ' +
      'A backend calling with an API key may name the `user` the secret acts for.',
    auth: 'none',
    body: SessionCreateParams,
    bodyOptional: true,
    response: { json: ChatKitSession },
    errors: ['UNAUTHORIZED', 'RATE_LIMITED'],
  }),
  defineRoute({
    id: 'chatkit.request',
    method: 'POST',
    path: '/chatkit',
    tag: 'chatkit',
    summary: 'The ChatKit protocol endpoint',
    description:
      'One endpoint for all 16 request types. Streaming types answer `text/event-stream` (`data: <json>` frames); ' +
      'the others answer JSON.',
    auth: { scope: 'chat' },
    body: ChatKitRequest,
    response: { json: ChatKitJsonResult, sse: ThreadStreamEvent },
    errors: [
      'THREAD_NOT_FOUND',
      'ITEM_NOT_FOUND',
      'ATTACHMENT_NOT_FOUND',
      'CONFLICT',
      'PROVIDER_NOT_CONFIGURED',
    ],
  }),
  defineRoute({
    id: 'chatkit.attachments.upload',
    method: 'POST',
    path: '/chatkit/attachments',
    tag: 'chatkit',
    summary: 'Upload a file directly (multipart field `file`)',
    auth: { scope: 'chat' },
    bodyType: 'multipart',
    files: ['file'],
    response: { json: Attachment },
    errors: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  defineRoute({
    id: 'chatkit.attachments.upload_bytes',
    method: 'POST',
    path: '/chatkit/attachments/{attachment_id}/upload',
    tag: 'chatkit',
    summary: 'Upload the bytes of a two-phase attachment (multipart field `file`)',
    description: 'The URL comes from `attachments.create` and carries its own signature.',
    auth: 'none',
    params: AttachmentParams,
    query: SignedUrlQuery,
    bodyType: 'multipart',
    files: ['file'],
    response: { json: Attachment },
    errors: ['ATTACHMENT_NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  defineRoute({
    id: 'chatkit.attachments.preview',
    method: 'GET',
    path: '/chatkit/attachments/{attachment_id}/preview',
    tag: 'chatkit',
    summary: 'The bytes of an uploaded attachment',
    description: 'The URL is the `preview_url` of an image attachment and carries its own signature.',
    auth: 'none',
    params: AttachmentParams,
    query: SignedUrlQuery,
    response: { binary: 'application/octet-stream' },
    errors: ['ATTACHMENT_NOT_FOUND', 'FORBIDDEN'],
  }),
] as const;
