/** @module Attachments: declared, uploaded (directly or through a signed URL), previewed, deleted. */
import type { Attachment, ChatKitRequestOf } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { newId } from '../ids.js';
import { mediaType } from '../uploads/content-type.js';
import { checkedBytes, checkUpload } from '../uploads/policy.js';
import type { AttachmentUrlPurpose } from './attachment-urls.js';
import type { ChatKitContext, ChatKitDeps } from './deps.js';
import type { StoredAttachment } from './repositories.js';
import { toAttachment } from './serialize.js';

/** A file as it arrives: its name, its declared type and its bytes as they stream in. */
export interface IncomingFile {
  name: string;
  mimeType: string;
  bytes: AsyncIterable<Uint8Array>;
}

/** `attachments.create`: a pending attachment and the signed URL its bytes go to. */
export const createAttachment = async (
  deps: ChatKitDeps,
  params: ChatKitRequestOf<'attachments.create'>['params'],
  ctx: Pick<ChatKitContext, 'userId' | 'baseUrl'>,
): Promise<Attachment> => {
  checkUpload(deps.limits, params.mime_type, params.size);
  const record = await deps.repositories.attachments.create({
    user_id: ctx.userId,
    name: params.name,
    mime_type: params.mime_type,
    size: params.size,
  });
  return toAttachment(record, deps.urls, ctx.baseUrl, true);
};

/** `attachments.delete`: the record and its bytes. */
export const deleteAttachment = async (
  deps: ChatKitDeps,
  params: ChatKitRequestOf<'attachments.delete'>['params'],
  ctx: Pick<ChatKitContext, 'userId'>,
): Promise<Record<string, never>> => {
  const attachment = await deps.repositories.attachments.delete(params.attachment_id, ctx.userId);
  if (!attachment) throw HttpError.notFound('attachment', params.attachment_id);
  if (attachment.blob_key) await deps.blobs.delete(attachment.blob_key);
  return {};
};

/**
 * A direct upload: the type must be accepted, the bytes must be of that type (415) and no larger
 * than the limit (413); nothing is kept of a refused file.
 */
export const uploadAttachment = async (
  deps: ChatKitDeps,
  file: IncomingFile,
  ctx: Pick<ChatKitContext, 'userId' | 'baseUrl'>,
): Promise<Attachment> => {
  // Kept as a multipart part's type is read: without parameters, in lower case, however it was sent.
  const mimeType = mediaType(file.mimeType);
  checkUpload(deps.limits, mimeType);
  const blobKey = newId('attachment', 12);
  const { size } = await deps.blobs.put(blobKey, checkedBytes(file.bytes, mimeType, deps.limits.maxBytes));
  const { attachments } = deps.repositories;
  const record = await attachments.create({
    user_id: ctx.userId,
    name: file.name,
    mime_type: mimeType,
    size,
  });
  const uploaded = await attachments.markUploaded(record.id, blobKey, size);
  return toAttachment(uploaded ?? record, deps.urls, ctx.baseUrl, false);
};

/**
 * The attachment a signed URL names, whoever owns it (the signature is the credential): 403 when
 * the signature is not valid or has expired, 404 when the attachment is gone.
 */
export const signedAttachment = async (
  deps: ChatKitDeps,
  id: string,
  purpose: AttachmentUrlPurpose,
  signature: { expires: string; sig: string },
): Promise<StoredAttachment> => {
  const problem = await deps.urls.check(id, purpose, signature.expires, signature.sig);
  if (problem) {
    throw new HttpError(
      'FORBIDDEN',
      `This ${purpose} link is ${problem === 'expired' ? 'expired' : 'not valid'}.`,
    );
  }
  const attachment = await deps.repositories.attachments.getById(id);
  if (!attachment) throw HttpError.notFound('attachment', id);
  return attachment;
};

/**
 * The bytes of a two-phase upload, for the attachment `attachments.create` made: once only (409
 * after), of the declared type, and no larger than announced (nor than the limit).
 */
export const completeUpload = async (
  deps: ChatKitDeps,
  attachment: StoredAttachment,
  bytes: AsyncIterable<Uint8Array>,
  baseUrl: string,
): Promise<Attachment> => {
  if (attachment.status === 'uploaded') {
    throw new HttpError('CONFLICT', `Attachment ${attachment.id} already has its bytes.`);
  }
  const maxBytes = Math.min(deps.limits.maxBytes, Math.max(attachment.size, 0) || deps.limits.maxBytes);
  const { size } = await deps.blobs.put(attachment.id, checkedBytes(bytes, attachment.mime_type, maxBytes));
  const uploaded = await deps.repositories.attachments.markUploaded(attachment.id, attachment.id, size);
  if (!uploaded) throw HttpError.notFound('attachment', attachment.id);
  return toAttachment(uploaded, deps.urls, baseUrl, false);
};

/** The bytes of an uploaded attachment, or 404 `ATTACHMENT_NOT_FOUND` while it has none. */
export const attachmentBytes = async (
  deps: ChatKitDeps,
  attachment: StoredAttachment,
): Promise<AsyncIterable<Uint8Array>> => {
  const bytes = attachment.blob_key ? await deps.blobs.get(attachment.blob_key) : undefined;
  if (!bytes) throw new HttpError('ATTACHMENT_NOT_FOUND', `Attachment ${attachment.id} has no bytes yet.`);
  return bytes;
};
