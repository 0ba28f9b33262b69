/** @module Items of a thread: listing, feedback, and widgets' server actions. */
import type { ChatKitRequestOf, Page, ThreadItem, WidgetItem } from '@cartrita/contracts';
import { hiddenItemTypes } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import type { WidgetAction } from '../providers/types.js';
import type { ChatKitContext, ChatKitDeps } from './deps.js';
import type { StoredItem } from './repositories.js';
import { requireThread, visibleItems } from './threads.js';

/** A visible item of the thread, or 404 `ITEM_NOT_FOUND` (hidden items do not exist for clients). */
export const requireItem = async (
  deps: ChatKitDeps,
  threadId: string,
  itemId: string,
): Promise<StoredItem> => {
  const item = await deps.repositories.items.get(threadId, itemId);
  if (!item || hiddenItemTypes.includes(item.type)) throw HttpError.notFound('item', itemId);
  return item;
};

/** `items.list`: a page of the thread's visible items. */
export const listItems = async (
  deps: ChatKitDeps,
  params: ChatKitRequestOf<'items.list'>['params'],
  ctx: ChatKitContext,
): Promise<Page<ThreadItem>> => {
  const thread = await requireThread(deps, params.thread_id, ctx);
  return visibleItems(deps, thread.id, params);
};

/** `items.feedback`: the user's vote on each item. */
export const recordFeedback = async (
  deps: ChatKitDeps,
  params: ChatKitRequestOf<'items.feedback'>['params'],
  ctx: ChatKitContext,
): Promise<Record<string, never>> => {
  const thread = await requireThread(deps, params.thread_id, ctx);
  for (const id of params.item_ids) await requireItem(deps, thread.id, id);
  await deps.repositories.feedback.record(thread.id, params.item_ids, params.kind, ctx.userId);
  return {};
};

/**
 * A widget item as it is after a server action: the first provider that claims the action answers
 * it. `undefined` when no provider does.
 */
export const applyWidgetAction = (
  deps: ChatKitDeps,
  item: StoredItem,
  action: WidgetAction,
): StoredItem | undefined => {
  const widget = (item as unknown as WidgetItem).widget;
  for (const provider of deps.providers.all) {
    const updated = provider.action?.(widget, action);
    if (updated) return { ...item, widget: updated };
  }
  return undefined;
};

/** `threads.sync_custom_action`: a widget's action answered at once, with the changed item. */
export const syncCustomAction = async (
  deps: ChatKitDeps,
  params: ChatKitRequestOf<'threads.sync_custom_action'>['params'],
  ctx: ChatKitContext,
): Promise<{ updated_item?: ThreadItem }> => {
  const thread = await requireThread(deps, params.thread_id, ctx);
  if (!params.item_id) return {};
  const item = await requireItem(deps, thread.id, params.item_id);
  if (item.type !== 'widget') {
    throw new HttpError('BAD_REQUEST', `Item ${item.id} is not a widget, so it has no actions.`);
  }
  const updated = applyWidgetAction(deps, item, params.action);
  if (!updated) return {};
  await deps.repositories.items.save(thread.id, updated);
  return { updated_item: updated as unknown as ThreadItem };
};
