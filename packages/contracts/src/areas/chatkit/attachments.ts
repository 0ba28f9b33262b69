import * as z from 'zod/mini';

/** Where and how a client uploads the bytes of a two-phase attachment. */
export const UploadDescriptor = z.object({
  url: z.string(),
  method: z.enum(['POST', 'PUT']),
  headers: z._default(z.record(z.string(), z.string()), {}),
});
export type UploadDescriptor = z.infer<typeof UploadDescriptor>;

const AttachmentBase = {
  id: z.string(),
  name: z.string(),
  mime_type: z.string(),
  upload_descriptor: z.optional(UploadDescriptor),
  thread_id: z.optional(z.string()),
};

/** A file attached to a user message. Images carry a `preview_url` an `<img>` can load. */
export const Attachment = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), ...AttachmentBase }),
  z.object({ type: z.literal('image'), preview_url: z.string(), ...AttachmentBase }),
]);
export type Attachment = z.infer<typeof Attachment>;

/**
 * The MIME types the reference server accepts for attachments unless configured otherwise: images,
 * PDF, text, CSV, JSON, Office and OpenDocument files. SVG, HTML and scripts are left out on purpose:
 * served back, they can run script.
 */
export const defaultUploadTypes: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/rtf',
];
