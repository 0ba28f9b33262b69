/**
 * @module The ChatKit protocol: one entry for all 16 request types, by the rules of the official
 * server (event order, persistence, hidden items), over the engine's ports.
 */
import type {
  ChatKitJsonResult,
  ChatKitRequest,
  JsonRequestType,
  ThreadStreamEvent,
} from '@cartrita/contracts';
import { isStreamingRequestType } from '@cartrita/contracts';
import { releasingAfter } from '../chat/reply-slots.js';
import { HttpError } from '../errors.js';
import { createAttachment, deleteAttachment } from './attachments.js';
import type { ChatKitContext, ChatKitDeps } from './deps.js';
import { listItems, recordFeedback, syncCustomAction } from './items.js';
import { deleteThread, getThread, listThreads, updateThread } from './threads.js';
import { prepareStream, type StartedTurn, startTurn, type TurnInput } from './turns.js';

/** A processed request: JSON to send, or events to stream. */
export type ChatKitResult =
  | { kind: 'json'; body: ChatKitJsonResult }
  | { kind: 'stream'; events: AsyncIterable<ThreadStreamEvent> };

type JsonRequest = Extract<ChatKitRequest, { type: JsonRequestType }>;

/** Answers a JSON request type. */
const json = async (
  deps: ChatKitDeps,
  request: JsonRequest,
  ctx: ChatKitContext,
): Promise<ChatKitJsonResult> => {
  switch (request.type) {
    case 'threads.get_by_id':
      return getThread(deps, request.params, ctx);
    case 'threads.list':
      return listThreads(deps, request.params, ctx);
    case 'items.list':
      return listItems(deps, request.params, ctx);
    case 'threads.update':
      return updateThread(deps, request.params, ctx);
    case 'threads.delete':
      return deleteThread(deps, request.params, ctx);
    case 'items.feedback':
      return recordFeedback(deps, request.params, ctx);
    case 'attachments.create':
      return createAttachment(deps, request.params, ctx);
    case 'attachments.delete':
      return deleteAttachment(deps, request.params, ctx);
    case 'threads.sync_custom_action':
      return syncCustomAction(deps, request.params, ctx);
    case 'input.transcribe':
      if (!deps.transcribe) {
        throw new HttpError(
          'PROVIDER_NOT_CONFIGURED',
          'Voice transcription is not available: no voice provider is configured on this server.',
          { details: { request_type: 'input.transcribe' } },
        );
      }
      return deps.transcribe(request.params.audio_base64, ctx.signal);
  }
};

/** The ChatKit area's entry: a request in, JSON or events out. */
export class ChatKitProcessor {
  readonly deps: ChatKitDeps;

  constructor(deps: ChatKitDeps) {
    this.deps = deps;
  }

  /** Handles one request. Errors found before a stream starts are thrown as `HttpError`s. */
  async process(request: ChatKitRequest, ctx: ChatKitContext): Promise<ChatKitResult> {
    if (isStreamingRequestType(request.type)) {
      const release = this.deps.slots?.acquire(ctx.userId);
      if (!release) return { kind: 'stream', events: await prepareStream(this.deps, request, ctx) };
      try {
        const events = await prepareStream(this.deps, request, ctx);
        // A stream that is never read still gives its slot back when its request goes away.
        ctx.signal.addEventListener('abort', release, { once: true });
        return { kind: 'stream', events: releasingAfter(events, release) };
      } catch (error) {
        release();
        throw error;
      }
    }
    return { kind: 'json', body: await json(this.deps, request as JsonRequest, ctx) };
  }

  /** A turn of the chat doors (see {@link startTurn}). */
  startTurn(input: TurnInput, ctx: ChatKitContext): Promise<StartedTurn> {
    return startTurn(this.deps, input, ctx);
  }
}
