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
