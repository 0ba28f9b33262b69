/**
 * @module The ChatKit area's repositories in memory: what the mocks and the engine's own tests run on.
 * They keep the SQL repositories' rules exactly (the shared storage suite runs on both): owner
 * scoping, insertion order, the `after` cursor, hidden items, cascades.
 */
import { hiddenItemTypes } from '@cartrita/contracts';
import { newId, now } from '../ids.js';
import { type ListOptions, type Page, pageSize, toPage } from '../paging.js';
import { toIso } from '../time.js';
import type {
  AttachmentStore,
  ChatKitRepositories,
  FeedbackStore,
  ItemStore,
  SessionStore,
  StoredAttachment,
  StoredFeedback,
  StoredItem,
  StoredSession,
  StoredThread,
  ThreadStore,
} from './repositories.js';

/** A copy a caller may change without changing what is stored, as a row read from a database. */
const copy = <T>(value: T): T => structuredClone(value);

/** One page of `rows` (in insertion order) by the paging rule every repository shares. */
const pageOf = <T>(rows: readonly T[], idOf: (row: T) => string, options: ListOptions): Page<T> => {
  const limit = pageSize(options.limit);
  const order = options.order ?? 'desc';
  const ordered = order === 'asc' ? [...rows] : [...rows].reverse();
  let from = 0;
  if (options.after !== undefined) {
    const at = ordered.findIndex((row) => idOf(row) === options.after);
    if (at === -1) return { data: [], has_more: false };
    from = at + 1;
  }
  return toPage(ordered.slice(from, from + limit + 1), limit, idOf);
};

interface ThreadRow {
  thread: StoredThread;
  items: StoredItem[];
}

/**
 * Every repository of the ChatKit area over one in-memory state.
 *
 * @example
 * const repositories = createMemoryChatKitRepositories();
 * const thread = await repositories.threads.create({ user_id: 'usr_1' });
 */
export const createMemoryChatKitRepositories = (
  options: {
    /** Told when a thread is deleted, so the records of other areas that belong to it go too. */
    onThreadDeleted?: (threadId: string) => void;
    /** Told when a session is deleted, so the records of other areas that belong to it go too. */
    onSessionDeleted?: (sessionId: string) => void;
  } = {},
): ChatKitRepositories & { clear(): void } => {
  /** Threads in creation order. */
  const threads = new Map<string, ThreadRow>();
  const attachments = new Map<string, StoredAttachment>();
  const feedback = new Map<string, StoredFeedback>();
  const sessions = new Map<string, StoredSession>();
  const owned = (id: string, userId: string) => {
    const row = threads.get(id);
    return row && row.thread.user_id === userId ? row : undefined;
  };

  const threadStore: ThreadStore = {
    async create(params) {
      const createdAt = params.created_at === undefined ? now() : toIso(params.created_at);
      const id = params.id ?? newId('thread', 8);
      if (threads.has(id)) throw new Error(`A thread ${id} already exists`);
      const thread: StoredThread = {
        id,
        user_id: params.user_id,
        title: params.title ?? null,
        status: copy(params.status ?? { type: 'active' }),
        metadata: copy(params.metadata ?? {}),
        created_at: createdAt,
        updated_at: createdAt,
      };
      threads.set(id, { thread, items: [] });
      return copy(thread);
    },
    async get(id, userId) {
      const row = owned(id, userId);
      return row && copy(row.thread);
    },
    async list(userId, options = {}) {
      const mine = [...threads.values()]
        .map((row) => row.thread)
        .filter((thread) => thread.user_id === userId);
      const page = pageOf(mine, (thread) => thread.id, options);
      return { ...page, data: page.data.map(copy) };
    },
    async update(id, userId, params) {
      const row = owned(id, userId);
      if (!row) return undefined;
      if (params.title !== undefined) row.thread.title = params.title;
      if (params.status !== undefined) row.thread.status = copy(params.status);
      if (params.metadata !== undefined) row.thread.metadata = copy(params.metadata);
      row.thread.updated_at = now();
      return copy(row.thread);
    },
    async touch(id, at) {
      const row = threads.get(id);
      if (!row) return false;
      row.thread.updated_at = at === undefined ? now() : toIso(at);
      return true;
    },
    async delete(id, userId) {
      const row = owned(id, userId);
      if (!row) return undefined;
      threads.delete(id);
      const blobKeys: string[] = [];
      for (const [key, attachment] of attachments) {
        if (attachment.thread_id !== id) continue;
        attachments.delete(key);
        if (attachment.blob_key !== null) blobKeys.push(attachment.blob_key);
      }
      for (const [key, vote] of feedback) if (vote.thread_id === id) feedback.delete(key);
      options.onThreadDeleted?.(id);
      return { id, blobKeys };
    },
  };

  const itemsOf = (threadId: string): StoredItem[] => {
    const row = threads.get(threadId);
    if (!row) throw new Error(`Thread ${threadId} does not exist`);
    return row.items;
  };
  /** The votes on an item go with it, as a foreign key's cascade takes them in SQL. */
  const dropFeedback = (threadId: string, itemIds: readonly string[]) => {
    for (const [key, vote] of feedback) {
      if (vote.thread_id === threadId && itemIds.includes(vote.item_id)) feedback.delete(key);
    }
  };
  const visible = (item: StoredItem, includeHidden: boolean | undefined) =>
    includeHidden === true || !hiddenItemTypes.includes(item.type);

  const itemStore: ItemStore = {
    async save(threadId, item) {
      const items = itemsOf(threadId);
      const stored = copy({
        ...item,
        ...(item.created_at === undefined ? {} : { created_at: item.created_at }),
      });
      const at = items.findIndex((existing) => existing.id === item.id);
      if (at === -1) items.push(stored);
      else items[at] = stored;
    },
    async threadOf(itemId) {
      for (const [threadId, thread] of threads) {
        if (thread.items.some((candidate) => candidate.id === itemId)) return threadId;
      }
      return undefined;
    },

    async get(threadId, itemId) {
      const item = threads.get(threadId)?.items.find((candidate) => candidate.id === itemId);
      return item && copy(item);
    },
    async list(threadId, options = {}) {
      const all = threads.get(threadId)?.items ?? [];
      const order = options.order ?? 'desc';
      let from = order === 'asc' ? 0 : all.length;
      if (options.after !== undefined) {
        // The cursor is a position among all the thread's items, hidden ones included.
        from = all.findIndex((item) => item.id === options.after);
        if (from === -1) return { data: [], has_more: false };
      }
      const beyond =
        order === 'asc'
          ? all.slice(options.after === undefined ? 0 : from + 1)
          : all.slice(0, from).reverse();
      const limit = pageSize(options.limit);
      const rows = beyond.filter((item) => visible(item, options.includeHidden)).slice(0, limit + 1);
      const page = toPage(rows, limit, (item) => item.id);
      return { ...page, data: page.data.map(copy) };
    },
    async latest(threadId, options = {}) {
      const items = (threads.get(threadId)?.items ?? []).filter((item) =>
        visible(item, options.includeHidden),
      );
      const item = items.at(-1);
      return item && copy(item);
    },
    async deleteAfter(threadId, itemId) {
      const row = threads.get(threadId);
      if (!row) return 0;
      const at = row.items.findIndex((item) => item.id === itemId);
      if (at === -1) return 0;
      const removed = row.items.splice(at + 1);
      dropFeedback(
        threadId,
        removed.map((item) => item.id),
      );
      return removed.length;
    },
    async delete(threadId, itemId) {
      const row = threads.get(threadId);
      const at = row?.items.findIndex((item) => item.id === itemId) ?? -1;
      if (!row || at === -1) return false;
      row.items.splice(at, 1);
      dropFeedback(threadId, [itemId]);
      return true;
    },
  };

  const attachmentStore: AttachmentStore = {
    async create(params) {
      const id = params.id ?? newId('attachment', 8);
      const attachment: StoredAttachment = {
        id,
        user_id: params.user_id,
        thread_id: params.thread_id ?? null,
        name: params.name,
        mime_type: params.mime_type,
        size: params.size ?? 0,
        kind: params.kind ?? (params.mime_type.toLowerCase().startsWith('image/') ? 'image' : 'file'),
        status: 'pending',
        blob_key: null,
        created_at: now(),
      };
      attachments.set(id, attachment);
      return copy(attachment);
    },
    async get(id, userId) {
      const attachment = attachments.get(id);
      return attachment && attachment.user_id === userId ? copy(attachment) : undefined;
    },
    async getById(id) {
      const attachment = attachments.get(id);
      return attachment && copy(attachment);
    },
    async markUploaded(id, blobKey, size) {
      const attachment = attachments.get(id);
      if (!attachment) return undefined;
      Object.assign(attachment, { status: 'uploaded', blob_key: blobKey, size });
      return copy(attachment);
    },
    async attachToThread(ids, threadId, userId) {
      const out: StoredAttachment[] = [];
      for (const id of new Set(ids)) {
        const attachment = attachments.get(id);
        if (!attachment || attachment.user_id !== userId) continue;
        attachment.thread_id = threadId;
        out.push(copy(attachment));
      }
      return out;
    },
    async delete(id, userId) {
      const attachment = attachments.get(id);
      if (!attachment || attachment.user_id !== userId) return undefined;
      attachments.delete(id);
      return copy(attachment);
    },
  };

  const feedbackStore: FeedbackStore = {
    async record(threadId, itemIds, kind, userId) {
      const items = threads.get(threadId)?.items ?? [];
      const existing = [...new Set(itemIds)].filter((id) => items.some((item) => item.id === id));
      const createdAt = now();
      for (const itemId of existing) {
        feedback.set(`${threadId}\n${itemId}\n${userId}`, {
          thread_id: threadId,
          item_id: itemId,
          user_id: userId,
          kind,
          created_at: createdAt,
        });
      }
      return existing.length;
    },
    async list(threadId, itemId) {
      return [...feedback.values()]
        .filter((vote) => vote.thread_id === threadId && vote.item_id === itemId)
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.user_id.localeCompare(b.user_id))
        .map(copy);
    },
  };

  const sessionStore: SessionStore = {
    async create(params) {
      const session: StoredSession = {
        id: params.id ?? newId('session', 8),
        user_id: params.user_id,
        created_at: now(),
        expires_at: params.expires_at === null ? null : toIso(params.expires_at),
        revoked: false,
        name: params.name ?? null,
        metadata: structuredClone(params.metadata ?? {}),
      };
      sessions.set(session.id, session);
      return copy(session);
    },
    async get(id) {
      const session = sessions.get(id);
      return session && copy(session);
    },
    async getActive(id, at = new Date()) {
      const session = sessions.get(id);
      return session &&
        !session.revoked &&
        (session.expires_at === null || session.expires_at > at.toISOString())
        ? copy(session)
        : undefined;
    },
    async revoke(id) {
      const session = sessions.get(id);
      if (!session) return false;
      session.revoked = true;
      return true;
    },
    async delete(id) {
      const deleted = sessions.delete(id);
      if (deleted) options.onSessionDeleted?.(id);
      return deleted;
    },
    async purgeExpired(before = new Date()) {
      let purged = 0;
      for (const [id, session] of sessions) {
        if (session.expires_at !== null && session.expires_at < before.toISOString()) {
          sessions.delete(id);
          options.onSessionDeleted?.(id);
          purged++;
        }
      }
      return purged;
    },
  };

  return {
    threads: threadStore,
    items: itemStore,
    attachments: attachmentStore,
    feedback: feedbackStore,
    sessions: sessionStore,
    clear() {
      threads.clear();
      attachments.clear();
      feedback.clear();
      sessions.clear();
    },
  };
};
