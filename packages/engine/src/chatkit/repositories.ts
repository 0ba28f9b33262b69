/**
 * @module The ChatKit area's repositories: the ports the engine reads and writes threads, items,
 * attachments, feedback and sessions through. The server implements them over SQL; the engine ships
 * them in memory (for the mocks and tests); one test suite holds every implementation to them.
 */
import type { ThreadStatus } from '@cartrita/contracts';
import type { ListOptions, Page } from '../paging.js';

/** A stored thread (without its items). */
export interface StoredThread {
  id: string;
  user_id: string;
  title: string | null;
  status: ThreadStatus;
  metadata: Record<string, unknown>;
  /** ISO-8601, UTC, milliseconds. */
  created_at: string;
  /** ISO-8601, UTC, milliseconds; moves on every update and touch. */
  updated_at: string;
}

/** What {@link ThreadStore.create} needs. */
export interface ThreadCreateParams {
  /** @default a new `thr_` id */
  id?: string;
  user_id: string;
  title?: string | null;
  /** @default {type: 'active'} */
  status?: ThreadStatus;
  /** @default {} */
  metadata?: Record<string, unknown>;
  /** @default now */
  created_at?: string | Date;
}

/** The fields {@link ThreadStore.update} changes; absent fields are kept. */
export interface ThreadUpdateParams {
  title?: string | null;
  status?: ThreadStatus;
  metadata?: Record<string, unknown>;
}

/** What deleting a thread left behind for the caller to clean up. */
export interface DeletedThread {
  id: string;
  /** Blob keys of the thread's attachments, whose rows were deleted with it: delete these blobs. */
  blobKeys: string[];
}

/**
 * Threads, always scoped to their owner: reading, changing or deleting another user's thread behaves as
 * if it did not exist, so callers answer 404 without telling the two apart.
 */
export interface ThreadStore {
  create(params: ThreadCreateParams): Promise<StoredThread>;
  /** The thread, or `undefined` when it is absent or belongs to another user. */
  get(id: string, userId: string): Promise<StoredThread | undefined>;
  /** The user's threads in creation order (newest first by default). */
  list(userId: string, options?: ListOptions): Promise<Page<StoredThread>>;
  /** Changes title, status or metadata and moves `updated_at`; `undefined` when absent or not the user's. */
  update(id: string, userId: string, params: ThreadUpdateParams): Promise<StoredThread | undefined>;
  /** Moves `updated_at` to now (or `at`). Returns whether the thread exists. */
  touch(id: string, at?: string | Date): Promise<boolean>;
  /**
   * Deletes the thread with its items, their feedback and its attachment rows. `undefined` when absent or
   * not the user's.
   */
  delete(id: string, userId: string): Promise<DeletedThread | undefined>;
}

/**
 * A thread item exactly as it goes on the wire (any ChatKit `ThreadItem`, or a server-only hidden
 * context item). The store reads only `id`, `type` and `created_at`, and keeps the rest as JSON.
 */
export interface StoredItem {
  id: string;
  type: string;
  created_at?: string;
  [field: string]: unknown;
}

/** Options for {@link ItemStore.list}. */
export interface ItemListOptions extends ListOptions {
  /**
   * Include server-only items (`hidden_context_item`, `sdk_hidden_context`). Never pass `true` for
   * anything a client will see.
   * @default false
   */
  includeHidden?: boolean;
}

/**
 * Items of a thread, in the order they were first saved. Callers check that the thread exists and belongs
 * to the user (with `ThreadStore.get`) before touching its items.
 */
export interface ItemStore {
  /**
   * Inserts the item at the end of the thread or, when the thread already has an item with its id,
   * replaces it in place (it keeps its position). The thread must exist.
   */
  save(threadId: string, item: StoredItem): Promise<void>;
  /** The item, hidden or not, or `undefined`. */
  get(threadId: string, itemId: string): Promise<StoredItem | undefined>;
  /** The id of the thread that holds an item, or `undefined`; callers check the thread's owner. */
  threadOf(itemId: string): Promise<string | undefined>;
  /** A page of items (newest first by default), without hidden ones unless asked. */
  list(threadId: string, options?: ItemListOptions): Promise<Page<StoredItem>>;
  /** The newest item (hidden ones only when asked), or `undefined` for an empty thread. */
  latest(threadId: string, options?: { includeHidden?: boolean }): Promise<StoredItem | undefined>;
  /** Deletes every item after the given one (hidden ones too); returns how many. 0 when it is absent. */
  deleteAfter(threadId: string, itemId: string): Promise<number>;
  /** Deletes one item; returns whether it existed. */
  delete(threadId: string, itemId: string): Promise<boolean>;
}

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

/** A thumbs up or down. */
export type FeedbackKind = 'positive' | 'negative';

/** One user's vote on one item. */
export interface StoredFeedback {
  thread_id: string;
  item_id: string;
  user_id: string;
  kind: FeedbackKind;
  created_at: string;
}

/** Feedback on items: one vote per item and user, the latest replacing the earlier. */
export interface FeedbackStore {
  /**
   * Records the user's vote on each item of the thread; a second vote replaces the first. Ids of items
   * the thread does not have are skipped. Returns how many votes were recorded.
   */
  record(threadId: string, itemIds: readonly string[], kind: FeedbackKind, userId: string): Promise<number>;
  /** Every vote on one item, oldest first. */
  list(threadId: string, itemId: string): Promise<StoredFeedback[]>;
}

/**
 * A session: minted with a client secret by `POST /api/chatkit/session` (it expires with the
 * secret), or made by `POST /api/sessions` (LLMGine: named, with metadata, never expires). One id
 * space: a client secret reaches its own session's events, whichever door made it.
 */
export interface StoredSession {
  /** `sess_...` */
  id: string;
  user_id: string;
  created_at: string;
  /** `null` for a session that does not expire. */
  expires_at: string | null;
  revoked: boolean;
  name: string | null;
  metadata: Record<string, unknown>;
}

/** What {@link SessionStore.create} needs. */
export interface NewSession {
  /** @default a new `sess_` id */
  id?: string;
  user_id: string;
  /** When the session stops being valid; `null` for never. */
  expires_at: string | Date | null;
  name?: string | null;
  metadata?: Record<string, unknown>;
}

/** Sessions. */
export interface SessionStore {
  create(params: NewSession): Promise<StoredSession>;
  /** The session, revoked and expired ones included, or `undefined`. */
  get(id: string): Promise<StoredSession | undefined>;
  /** The session only while it is neither revoked nor expired (at `now`). */
  getActive(id: string, now?: Date): Promise<StoredSession | undefined>;
  /** Revokes the session; returns whether it exists. */
  revoke(id: string): Promise<boolean>;
  /** Deletes a session (its records are the other areas' to delete); returns whether it existed. */
  delete(id: string): Promise<boolean>;
  /** Deletes sessions that expired before `before`; returns how many. */
  purgeExpired(before?: Date): Promise<number>;
}

/** Every repository of the ChatKit area. */
export interface ChatKitRepositories {
  readonly threads: ThreadStore;
  readonly items: ItemStore;
  readonly attachments: AttachmentStore;
  readonly feedback: FeedbackStore;
  readonly sessions: SessionStore;
}
