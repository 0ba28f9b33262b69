import type { Kysely, Selectable } from 'kysely';
import { newId, nowIso } from './codec.js';
import type { AttachmentsTable, Database } from './schema.js';

/** A stored attachment. Its bytes live in the blob store under `blob_key` once uploaded. */
export interface StoredAttachment {
  id: string;
  user_id: string;
  /** The thread whose message carries it; `null` until it is sent. */
  thread_id: string | null;
  name: string;
  mime_type: string;
  /** Bytes: announced by the client while pending, measured once uploaded. */
  size: number;
  kind: 'file' | 'image';
  status: 'pending' | 'uploaded';
  blob_key: string | null;
  created_at: string;
}

/** What {@link AttachmentStore.create} needs. */
export interface AttachmentCreateParams {
  /** @default a new `atc_` id */
  id?: string;
  user_id: string;
  name: string;
  mime_type: string;
  /** @default 0 */
  size?: number;
  /** @default 'image' for `image/*` types, else 'file' */
  kind?: 'file' | 'image';
  /** @default null */
  thread_id?: string | null;
}

/** Attachments, scoped to their owner like threads. */
export interface AttachmentStore {
  /** Records a pending attachment (the bytes come later, see {@link AttachmentStore.markUploaded}). */
  create(params: AttachmentCreateParams): Promise<StoredAttachment>;
  /** The attachment, or `undefined` when absent or owned by another user. */
  get(id: string, userId: string): Promise<StoredAttachment | undefined>;
  /**
   * The attachment whoever owns it. Only for requests already authorised another way, such as a
   * signed upload or preview URL.
   */
  getById(id: string): Promise<StoredAttachment | undefined>;
  /** Marks the bytes as stored under `blobKey`; `undefined` when the attachment does not exist. */
  markUploaded(id: string, blobKey: string, size: number): Promise<StoredAttachment | undefined>;
  /**
   * Links the user's attachments to a thread (when a message carrying them is saved) and returns them in
   * the order of `ids` (each once). Ids that are absent or another user's are skipped.
   */
  attachToThread(ids: readonly string[], threadId: string, userId: string): Promise<StoredAttachment[]>;
  /** Deletes the row and returns it, so the caller can delete its blob; `undefined` when absent or not the user's. */
  delete(id: string, userId: string): Promise<StoredAttachment | undefined>;
}

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
          id: params.id ?? newId('atc'),
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
