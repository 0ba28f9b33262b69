/** @module A turn's ChatKit events as the frames of Cartrita's own chat streams. */
import type { ChatStreamFrame, FileSource, ThreadStreamEvent } from '@cartrita/contracts';
import type { StartedTurn } from '../chatkit/turns.js';
import { HttpError } from '../errors.js';

/** What a door needs to know about a turn to frame it. */
export interface FrameContext {
  responseId: string;
  turn: StartedTurn;
  /** Set for seed 004's doors, which call the conversation a session. */
  sessionAlias: boolean;
  signal: AbortSignal;
  /** The passages of the user's files the reply was given; `done` names them. */
  sources?: readonly FileSource[];
}

/**
 * Turns a turn's ChatKit events into the frames of Cartrita's own chat streams: `start`, `chunk`s of
 * the assistant's text, `progress`, then `done` (or `error`). Items the plain doors cannot show
 * (widgets, forms, tool calls) are left out: those doors carry text.
 */
export async function* toFrames(context: FrameContext): AsyncGenerator<ChatStreamFrame> {
  const { turn, responseId, sessionAlias, signal } = context;
  const conversation = {
    conversation_id: turn.thread.id,
    ...(sessionAlias ? { session_id: turn.thread.id } : {}),
  };
  yield {
    type: 'start',
    response_id: responseId,
    ...conversation,
    message_id: turn.messageId,
    provider: turn.stats.provider,
    model: turn.stats.model,
  };
  let text = '';
  let failed = false;
  for await (const event of turn.events as AsyncIterable<ThreadStreamEvent>) {
    if (
      event.type === 'thread.item.updated' &&
      event.update.type === 'assistant_message.content_part.text_delta'
    ) {
      text += event.update.delta;
      yield { type: 'chunk', content: event.update.delta };
    } else if (event.type === 'progress_update') {
      yield { type: 'progress', text: event.text };
    } else if (event.type === 'error') {
      failed = true;
      const error = turn.stats.error;
      yield error instanceof HttpError
        ? { type: 'error', code: error.code, message: error.message, retryable: event.allow_retry }
        : {
            type: 'error',
            code: event.code === 'custom' ? 'PROVIDER_ERROR' : 'INTERNAL_ERROR',
            message: event.message ?? 'The reply failed. Try again.',
            retryable: event.allow_retry,
          };
    }
  }
  if (failed) return;
  yield {
    type: 'done',
    ...conversation,
    message_id: turn.messageId,
    response: text,
    finish_reason: signal.aborted ? 'cancelled' : 'stop',
    ...(turn.stats.usage ? { usage: turn.stats.usage } : {}),
    ...(context.sources && context.sources.length > 0 ? { sources: [...context.sources] } : {}),
  };
}
