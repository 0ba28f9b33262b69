/**
 * @module ChatKit turns as chat exchanges: a streamed turn that completed with the assistant's text is
 * handed to the memory area with the user message it answers, by the rule the other chat doors follow.
 */
import type { ThreadStreamEvent } from '@cartrita/contracts';
import type { ChatKitContext, ChatKitDeps } from './deps.js';
import { textOf } from './history.js';
import type { StoredThread } from './repositories.js';

/** The text of the thread's latest user message, newest items first; `undefined` when it has none. */
const latestUserText = async (deps: ChatKitDeps, threadId: string): Promise<string | undefined> => {
  let after: string | undefined;
  for (;;) {
    const page = await deps.repositories.items.list(threadId, {
      limit: 50,
      order: 'desc',
      ...(after ? { after } : {}),
    });
    const found = page.data.find((item) => item.type === 'user_message');
    if (found) return textOf(found.content);
    if (!page.has_more || !page.after) return undefined;
    after = page.after;
  }
};

/**
 * Passes a turn's events on unchanged and, once they ended, hands the exchange to `onExchange`: the
 * thread's latest user message and the text of the assistant messages the turn produced. A turn that
 * was cancelled, failed (an `error` event) or said nothing in text is not an exchange. The hand-over
 * happens before the stream ends, so a client that read the whole stream finds the memory.
 */
export const withExchange = (
  deps: ChatKitDeps,
  thread: StoredThread,
  ctx: ChatKitContext,
  events: AsyncIterable<ThreadStreamEvent>,
): AsyncIterable<ThreadStreamEvent> => {
  const onExchange = deps.onExchange;
  if (!onExchange) return events;
  return (async function* () {
    const replies: string[] = [];
    let messageId: string | undefined;
    let failed = false;
    for await (const event of events) {
      if (event.type === 'error') failed = true;
      if (event.type === 'thread.item.done' && event.item.type === 'assistant_message') {
        const text = textOf(event.item.content);
        if (text.length > 0) {
          replies.push(text);
          messageId = event.item.id;
        }
      }
      yield event;
    }
    if (failed || ctx.signal.aborted || messageId === undefined) return;
    const userMessage = await latestUserText(deps, thread.id);
    if (userMessage === undefined || userMessage.length === 0) return;
    await onExchange({
      userId: ctx.userId,
      threadId: thread.id,
      messageId,
      userMessage,
      reply: replies.join('\n\n'),
    });
  })();
};
