import type { AttachmentStore, StoredAttachment } from '@cartrita/engine';
import { newId } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { nowIso } from '../../storage/codec.js';
import type { AttachmentsTable, Database } from '../../storage/schema.js';

const columns = [
  'id',
  'user_id',
  'thread_id',
  'name',
  'mime_type',
  'size',
  'kind',
  'status',
  'blob_key',
  'created_at',
] as const;

function toAttachment(row: Selectable<AttachmentsTable>): StoredAttachment {
  return { ...row, size: Number(row.size) };
}

/** Builds the {@link AttachmentStore} over a database. */
export function createAttachmentStore(db: Kysely<Database>): AttachmentStore {
  return {
    async create(params) {
      const row = await db
        .insertInto('attachments')
        .values({
          id: params.id ?? newId('attachment', 8),
          user_id: params.user_id,
          thread_id: params.thread_id ?? null,
          name: params.name,
          mime_type: params.mime_type,
          size: params.size ?? 0,
          kind: params.kind ?? (params.mime_type.toLowerCase().startsWith('image/') ? 'image' : 'file'),
          status: 'pending',
          blob_key: null,
          created_at: nowIso(),
        })
        .returning(columns)
        .executeTakeFirstOrThrow();
      return toAttachment(row);
    },

    async get(id, userId) {
      const row = await db
        .selectFrom('attachments')
        .select(columns)
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toAttachment(row);
    },

    async getById(id) {
      const row = await db.selectFrom('attachments').select(columns).where('id', '=', id).executeTakeFirst();
      return row && toAttachment(row);
    },

    async markUploaded(id, blobKey, size) {
      const row = await db
        .updateTable('attachments')
        .set({ status: 'uploaded', blob_key: blobKey, size })
        .where('id', '=', id)
        .returning(columns)
        .executeTakeFirst();
      return row && toAttachment(row);
    },

    async attachToThread(ids, threadId, userId) {
      if (ids.length === 0) return [];
      const rows = await db
        .updateTable('attachments')
        .set({ thread_id: threadId })
        .where('id', 'in', [...ids])
        .where('user_id', '=', userId)
        .returning(columns)
        .execute();
      const byId = new Map(rows.map((row) => [row.id, toAttachment(row)]));
      return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
    },

    async delete(id, userId) {
      const row = await db
        .deleteFrom('attachments')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returning(columns)
        .executeTakeFirst();
      return row && toAttachment(row);
    },
  };
}
