/** @module Stored records as the protocol sends them. */
import type { Attachment, Page, Thread, ThreadItem } from '@cartrita/contracts';
import type { AttachmentUrlSigner } from './attachment-urls.js';
import type { StoredAttachment, StoredThread } from './repositories.js';

/** A thread as the protocol sends it, with a page of its items (none by default). */
export const toThread = (
  record: StoredThread,
  items: Page<ThreadItem> = { data: [], has_more: false },
): Thread => ({
  id: record.id,
  ...(record.title ? { title: record.title } : {}),
  created_at: record.created_at,
  status: record.status,
  metadata: {},
  items,
});

/**
 * An attachment as the protocol sends it: images with a signed `preview_url`, and a signed upload
 * descriptor when `withUpload` (the answer of `attachments.create`).
 */
export const toAttachment = async (
  record: StoredAttachment,
  urls: AttachmentUrlSigner,
  baseUrl: string,
  withUpload: boolean,
): Promise<Attachment> => {
  const base = {
    id: record.id,
    name: record.name,
    mime_type: record.mime_type,
    ...(record.thread_id ? { thread_id: record.thread_id } : {}),
    ...(withUpload
      ? {
          upload_descriptor: {
            url: await urls.url(baseUrl, record, 'upload'),
            method: 'POST' as const,
            headers: {},
          },
        }
      : {}),
  };
  return record.kind === 'image'
    ? { type: 'image', ...base, preview_url: await urls.url(baseUrl, record, 'preview') }
    : { type: 'file', ...base };
};
