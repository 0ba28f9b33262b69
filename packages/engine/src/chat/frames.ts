/** @module A turn's ChatKit events as the frames of Cartrita's own chat streams. */
import type { ChatStreamFrame, FileSource, ThreadStreamEvent } from '@cartrita/contracts';
import type { StartedTurn } from '../chatkit/turns.js';
import { HttpError } from '../errors.js';
import { GrowingText } from '../text.js';

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
 * Turns a turn's ChatKit events into the frames of Cartrita's own chat streams, one event at a time:
 * `start`, `chunk`s of the assistant's text, `progress`, then `done` (or `error`). Items the plain
 * doors cannot show (widgets, forms, tool calls) are left out: those doors carry text. Synchronous, so
 * that a door reading a turn's events frames each one without another stream in between.
 */
export class FrameMapper {
  readonly #context: FrameContext;
  readonly #conversation: { conversation_id: string; session_id?: string };
  readonly #text = new GrowingText();
  #failed = false;

  constructor(context: FrameContext) {
    this.#context = context;
    const threadId = context.turn.thread.id;
    this.#conversation = {
      conversation_id: threadId,
      ...(context.sessionAlias ? { session_id: threadId } : {}),
    };
  }

  /** The reply's text so far. */
  get text(): string {
    return this.#text.toString();
  }

  /** The first frame. */
  start(): ChatStreamFrame {
    const { turn, responseId } = this.#context;
    return {
      type: 'start',
      response_id: responseId,
      ...this.#conversation,
      message_id: turn.messageId,
      provider: turn.stats.provider,
      model: turn.stats.model,
    };
  }

  /** The frame an event stands for, if any. */
  map(event: ThreadStreamEvent): ChatStreamFrame | undefined {
    if (
      event.type === 'thread.item.updated' &&
      event.update.type === 'assistant_message.content_part.text_delta'
    ) {
      this.#text.append(event.update.delta);
      return { type: 'chunk', content: event.update.delta };
    }
    if (event.type === 'progress_update') return { type: 'progress', text: event.text };
    if (event.type !== 'error') return undefined;
    this.#failed = true;
    const error = this.#context.turn.stats.error;
    return error instanceof HttpError
      ? { type: 'error', code: error.code, message: error.message, retryable: event.allow_retry }
      : {
          type: 'error',
          code: event.code === 'custom' ? 'PROVIDER_ERROR' : 'INTERNAL_ERROR',
          message: event.message ?? 'The reply failed. Try again.',
          retryable: event.allow_retry,
        };
  }

  /** The last frame once the events ended: `done`, or none after an `error`. */
  end(): ChatStreamFrame | undefined {
    if (this.#failed) return undefined;
    const { turn, signal, sources } = this.#context;
    return {
      type: 'done',
      ...this.#conversation,
      message_id: turn.messageId,
      response: this.#text.toString(),
      finish_reason: signal.aborted ? 'cancelled' : 'stop',
      ...(turn.stats.usage ? { usage: turn.stats.usage } : {}),
      ...(sources && sources.length > 0 ? { sources: [...sources] } : {}),
    };
  }
}

/** A turn's frames as a stream (see {@link FrameMapper}). */
export async function* toFrames(context: FrameContext): AsyncGenerator<ChatStreamFrame> {
  const frames = new FrameMapper(context);
  yield frames.start();
  for await (const event of context.turn.events as AsyncIterable<ThreadStreamEvent>) {
    const frame = frames.map(event);
    if (frame) yield frame;
  }
  const last = frames.end();
  if (last) yield last;
}
