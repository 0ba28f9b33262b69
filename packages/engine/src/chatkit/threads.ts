/** @module Threads: reading, listing, renaming, deleting, and the rules a thread's title follows. */
import type { ChatKitRequestOf, Page, Thread, ThreadItem, UserMessageInput } from '@cartrita/contracts';
import { withoutMessageExtras } from '../conversations/service.js';
import { HttpError } from '../errors.js';
import { DEFAULT_PAGE_SIZE } from '../paging.js';
import type { ChatKitContext, ChatKitDeps } from './deps.js';
import type { StoredThread } from './repositories.js';
import { toThread } from './serialize.js';

/** The longest title made from a first message. */
export const TITLE_LENGTH = 60;

/**
 * The title a thread gets from its first message: the text on one line, cut at a word before
 * {@link TITLE_LENGTH} characters with an ellipsis; `undefined` when the message has no text.
 */
export const titleFrom = (input: Pick<UserMessageInput, 'content'>): string | undefined => {
  const text = input.content
    .map((part) => part.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  if (text.length <= TITLE_LENGTH) return text;
  const cut = text.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
};

/** The user's thread, or 404 `THREAD_NOT_FOUND` (another user's thread does not exist for them). */
export const requireThread = async (
  deps: ChatKitDeps,
  threadId: string,
  ctx: ChatKitContext,
): Promise<StoredThread> => {
  const thread = await deps.repositories.threads.get(threadId, ctx.userId);
  if (!thread) throw HttpError.notFound('thread', threadId);
  return thread;
};

/** The user's thread when it takes new messages; 409 `CONFLICT` when it is locked or closed. */
export const requireOpenThread = async (
  deps: ChatKitDeps,
  threadId: string,
  ctx: ChatKitContext,
): Promise<StoredThread> => {
  const thread = await requireThread(deps, threadId, ctx);
  if (thread.status.type !== 'active') {
    throw new HttpError(
      'CONFLICT',
      `Thread ${thread.id} is ${thread.status.type} and takes no new messages.`,
    );
  }
  return thread;
};

/** A page of a thread's visible items. */
export const visibleItems = async (
  deps: ChatKitDeps,
  threadId: string,
  options: { limit?: number | null; order: 'asc' | 'desc'; after?: string | null },
): Promise<Page<ThreadItem>> =>
  mapPageData(
    await deps.repositories.items.list(threadId, {
      limit: options.limit ?? DEFAULT_PAGE_SIZE,
      order: options.order,
      ...(options.after ? { after: options.after } : {}),
      includeHidden: false,
    }),
    // Seed 003's message extras stay on the server.
    (item) => withoutMessageExtras(item) as unknown as ThreadItem,
  );

const mapPageData = <T, U>(page: Page<T>, map: (item: T) => U): Page<U> => ({
  ...page,
  data: page.data.map(map),
});

/** `threads.get_by_id`: the thread with its first page of items, oldest first. */
export const getThread = async (
  deps: ChatKitDeps,
  { thread_id }: ChatKitRequestOf<'threads.get_by_id'>['params'],
  ctx: ChatKitContext,
): Promise<Thread> => {
  const thread = await requireThread(deps, thread_id, ctx);
  return toThread(thread, await visibleItems(deps, thread.id, { order: 'asc' }));
};

/** `threads.list`: the user's threads, newest first by default. */
export const listThreads = async (
  deps: ChatKitDeps,
  { limit, order, after }: ChatKitRequestOf<'threads.list'>['params'],
  ctx: ChatKitContext,
): Promise<Page<Thread>> => {
  const page = await deps.repositories.threads.list(ctx.userId, {
    limit: limit ?? DEFAULT_PAGE_SIZE,
    order,
    ...(after ? { after } : {}),
  });
  return { ...page, data: page.data.map((thread) => toThread(thread)) };
};

/** `threads.update`: renames the thread. */
export const updateThread = async (
  deps: ChatKitDeps,
  params: ChatKitRequestOf<'threads.update'>['params'],
  ctx: ChatKitContext,
): Promise<Thread> => {
  const thread = await requireThread(deps, params.thread_id, ctx);
  const updated = await deps.repositories.threads.update(thread.id, ctx.userId, {
    title: params.title.trim(),
  });
  if (!updated) throw HttpError.notFound('thread', thread.id);
  return toThread(updated);
};

/** `threads.delete`: the thread, its items, its attachments and their bytes. */
export const deleteThread = async (
  deps: ChatKitDeps,
  params: ChatKitRequestOf<'threads.delete'>['params'],
  ctx: ChatKitContext,
): Promise<Record<string, never>> => {
  const thread = await requireThread(deps, params.thread_id, ctx);
  const deleted = await deps.repositories.threads.delete(thread.id, ctx.userId);
  await Promise.all((deleted?.blobKeys ?? []).map((key) => deps.blobs.delete(key)));
  return {};
};
