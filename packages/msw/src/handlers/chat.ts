import type { ChatParameters, ChatStreamFrame, ErrorCode, UserMessageItem } from '@cartrita/contracts';
import { errorCodes } from '@cartrita/contracts';
import { HttpResponse } from 'msw';
import { MockHttpError, validationError } from '../errors.js';
import { newId, now } from '../ids.js';
import { type ReplyPart, splitDeltas, textOf, titleFrom } from '../responder.js';
import type { RouteImplementation } from '../route-handler.js';
import type { CutStreamFault, Scenarios, StallStreamFault } from '../scenarios.js';
import type { CartritaStore, ChatResponseRecord, SessionRecord, ThreadRecord } from '../store.js';
import { saveCancelledNote } from '../turn.js';

/** The chat routes that start a reply. */
type StartingRoute =
  | 'chat.create'
  | 'chat.stream'
  | 'chat.stream_get'
  | 'studio.chat.create'
  | 'studio.chat.stream';

/** What the doors use of their route's context. */
interface DoorContext {
  readonly route: { readonly id: StartingRoute };
  readonly store: CartritaStore;
  readonly scenarios: Scenarios;
  readonly session: SessionRecord;
  readonly request: Request;
  readonly requestId: string;
}

/** What any chat door asks for, whatever it calls its fields. */
interface DoorInput {
  message: string;
  conversationId?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  parameters?: ChatParameters | undefined;
  /** Seed 004's doors call the conversation `session_id`. */
  sessionAlias: boolean;
}

/** Parses `Last-Event-ID: resp_…:17` as the server does; anything else starts a new reply. */
export const parseLastEventId = (
  value: string | null | undefined,
): { responseId: string; afterSeq: number } | undefined => {
  const match = value ? /^(resp_[0-9a-f]{8,32}):(\d{1,9})$/.exec(value.trim()) : null;
  return match ? { responseId: match[1] as string, afterSeq: Number(match[2]) } : undefined;
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

const tokens = (text: string) => splitDeltas(text).length;

/**
 * Produces a reply's frames into its record, detached from any connection (as the server does):
 * `start`, a `chunk` per text delta, `progress`, then `done` (or `error`). The message `/slow` streams
 * at 20 times the store's pace, at least 20 ms a delta, like the demo provider's `/slow`, so that
 * cancellation and resume can be exercised. When the reply ends the assistant message is saved, with
 * the partial text and a hidden note when it was cancelled.
 */
const produce = async (
  store: CartritaStore,
  record: ChatResponseRecord,
  thread: ThreadRecord,
  input: UserMessageItem,
  options: { provider: string; model: string; sessionAlias: boolean; firstTurn: boolean },
): Promise<void> => {
  const signal = record.controller.signal;
  const conversation = {
    conversation_id: thread.id,
    ...(options.sessionAlias ? { session_id: thread.id } : {}),
  };
  store.pushChatFrame(record, {
    type: 'start',
    response_id: record.id,
    ...conversation,
    message_id: record.messageId,
    provider: options.provider,
    model: options.model,
  });
  const prompt = textOf(input);
  const pace = prompt.trim() === '/slow' ? Math.max(store.paceMs, 1) * 20 : store.paceMs;
  let failure: Extract<ChatStreamFrame, { type: 'error' }> | undefined;
  let parts: readonly ReplyPart[] = [];
  try {
    const reply = await store.nextReply({
      type: options.firstTurn ? 'threads.create' : 'threads.add_user_message',
      thread: store.toThread(thread),
      items: store.visibleItems(thread),
      input,
    });
    parts = typeof reply === 'string' ? [{ type: 'text', text: reply }] : reply;
  } catch {
    failure = {
      type: 'error',
      code: 'PROVIDER_ERROR',
      message: 'The assistant failed to answer.',
      retryable: true,
    };
  }
  let text = '';
  let chunks = 0;
  for (const part of parts) {
    if (signal.aborted || failure) break;
    if (part.type === 'text') {
      for (const delta of splitDeltas(part.text)) {
        if (pace > 0) await sleep(pace, signal);
        if (signal.aborted) break;
        text += delta;
        chunks++;
        store.pushChatFrame(record, { type: 'chunk', content: delta });
      }
    } else if (part.type === 'progress') {
      store.pushChatFrame(record, { type: 'progress', text: part.text });
    } else if (part.type === 'error') {
      failure = {
        type: 'error',
        code: 'PROVIDER_ERROR',
        message: part.message ?? 'The provider failed.',
        retryable: part.allow_retry ?? false,
      };
    }
    // Widgets, tool calls, forms and notices are left out: the plain doors carry text.
  }
  // Interrupted (see `interruptChatResponse`): whoever interrupted it closed the books.
  if (record.status !== 'running') return;
  if (store.thread(thread.id)) {
    if (text.trim() !== '') {
      store.saveItem(thread, {
        id: record.messageId,
        thread_id: thread.id,
        created_at: now(),
        type: 'assistant_message',
        content: [{ type: 'output_text', text, annotations: [] }],
      });
    }
    if (signal.aborted) saveCancelledNote(store, thread);
  }
  if (failure) {
    store.pushChatFrame(record, failure);
    store.endChatResponse(record, 'failed');
    return;
  }
  const promptTokens = store
    .visibleItems(thread)
    .reduce((sum, item) => sum + (item.type === 'user_message' ? tokens(textOf(item)) : 0), 0);
  store.pushChatFrame(record, {
    type: 'done',
    ...conversation,
    message_id: record.messageId,
    response: text,
    finish_reason: signal.aborted ? 'cancelled' : 'stop',
    usage: { prompt_tokens: promptTokens, completion_tokens: chunks, total_tokens: promptTokens + chunks },
  });
  store.endChatResponse(record, signal.aborted ? 'cancelled' : 'complete');
};

/**
 * Starts a reply for the caller: continues the conversation named (a thread of theirs that takes
 * messages) or starts one, saves the user message, and produces the reply in the background.
 */
const startReply = (context: DoorContext, input: DoorInput): ChatResponseRecord => {
  const { store, session } = context;
  if (input.provider !== undefined && input.provider !== store.chatProvider) {
    throw new MockHttpError(
      'PROVIDER_NOT_CONFIGURED',
      `The provider ${input.provider} is not configured on this server`,
      { details: { provider: input.provider } },
    );
  }
  const thread =
    input.conversationId === undefined
      ? store.createThread(session.userId, { title: titleFrom(input.message) })
      : store.getOpenThread(session.userId, input.conversationId);
  const user: UserMessageItem = {
    id: newId('message'),
    thread_id: thread.id,
    created_at: now(),
    type: 'user_message',
    content: [{ type: 'input_text', text: input.message }],
    attachments: [],
    inference_options: {},
  };
  store.saveItem(thread, user);
  const record = store.createChatResponse({
    userId: session.userId,
    threadId: thread.id,
    messageId: newId('message'),
  });
  void produce(store, record, thread, user, {
    provider: store.chatProvider,
    model: input.model ?? store.chatModel,
    sessionAlias: input.sessionAlias,
    firstTurn: input.conversationId === undefined,
  }).catch((error: unknown) => {
    // A bug in a scripted reply (a frame that breaks its schema): end the reply the way the server does.
    console.error(error);
    if (record.status !== 'running') return;
    store.pushChatFrame(record, {
      type: 'error',
      code: 'INTERNAL_ERROR',
      message: 'The reply failed. Try again.',
      retryable: true,
    });
    store.endChatResponse(record, 'failed');
  });
  return record;
};

/** Runs a reply to its end for a JSON door; a client that goes away cancels it. */
const complete = async (context: DoorContext, input: DoorInput) => {
  const record = startReply(context, input);
  const onAbort = () => record.controller.abort(new Error('The client went away.'));
  context.request.signal.addEventListener('abort', onAbort, { once: true });
  await context.store.chatResponseEnded(record);
  context.request.signal.removeEventListener('abort', onAbort);
  const start = record.frames.find((frame) => frame.type === 'start');
  const done = record.frames.find((frame) => frame.type === 'done');
  if (start?.type !== 'start' || done?.type !== 'done') {
    const error = record.frames.find((frame) => frame.type === 'error');
    const code =
      error?.type === 'error' && (errorCodes as readonly string[]).includes(error.code)
        ? (error.code as ErrorCode)
        : 'PROVIDER_ERROR';
    throw new MockHttpError(code, error?.type === 'error' ? error.message : 'The reply did not complete.');
  }
  return {
    response: done.response,
    conversation_id: done.conversation_id,
    message_id: done.message_id,
    provider: start.provider,
    model: start.model,
    ...(done.usage ? { usage: done.usage } : {}),
  };
};

const encoder = new TextEncoder();

/**
 * The body of one connection to a reply: the frames after `afterSeq` as `id: <response_id>:<seq>` +
 * `data: <json>`, the live ones as they come, `: keep-alive` comments while the reply is silent, and
 * the end when the reply has ended. Closing the connection only stops listening: the reply runs on.
 * A scenario fault cuts the connection, or silences it, after `events` frames.
 */
export const chatFrameStream = (
  store: CartritaStore,
  record: ChatResponseRecord,
  afterSeq: number,
  fault?: CutStreamFault | StallStreamFault,
): ReadableStream<Uint8Array> => {
  let next = afterSeq;
  let sent = 0;
  let wake: (() => void) | undefined;
  let closed = false;
  let onClose: () => void = () => {};
  const closedPromise = new Promise<void>((resolve) => {
    onClose = resolve;
  });
  const unwatch = store.watchChatResponse(record, () => wake?.());
  const wait = (ms: number) =>
    new Promise<'change' | 'quiet'>((resolve) => {
      const timer = setTimeout(() => resolve('quiet'), ms);
      wake = () => {
        clearTimeout(timer);
        resolve('change');
      };
    });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (fault && sent >= fault.events) {
          unwatch();
          if (fault.kind === 'stall_stream') {
            await closedPromise;
            return;
          }
          // Let the frames already written reach the client before the connection breaks.
          await new Promise((resolve) => setTimeout(resolve, 0));
          controller.error(new Error(`The stream was cut after ${fault.events} frames (cutStreamAfter)`));
          return;
        }
        for (;;) {
          if (closed) return;
          const frame = record.frames[next];
          if (frame) {
            next += 1;
            sent += 1;
            controller.enqueue(
              encoder.encode(`id: ${record.id}:${next}\ndata: ${JSON.stringify(frame)}\n\n`),
            );
            return;
          }
          if (record.status !== 'running') {
            unwatch();
            controller.close();
            return;
          }
          if ((await wait(store.heartbeatMs)) === 'quiet' && !closed) {
            controller.enqueue(encoder.encode(': keep-alive\n\n'));
            return;
          }
        }
      },
      cancel() {
        closed = true;
        unwatch();
        onClose();
        wake?.();
      },
    },
    { highWaterMark: 0 },
  );
};

/** Streams a new reply, or resumes the one `Last-Event-ID` names (another user's is a 404). */
const stream = (context: DoorContext, input: () => DoorInput | undefined): Response => {
  const { store, session, request, route, scenarios, requestId } = context;
  const point = parseLastEventId(request.headers.get('last-event-id'));
  let record: ChatResponseRecord;
  if (point) record = store.chatResponse(session.userId, point.responseId);
  else {
    const door = input();
    if (!door)
      throw validationError(
        [{ path: 'query.message', message: 'Required' }],
        'A message is required to start a reply.',
      );
    record = startReply(context, door);
  }
  const fault = scenarios.take(route.id, ['cut_stream', 'stall_stream']);
  return new HttpResponse(chatFrameStream(store, record, point?.afterSeq ?? 0, fault), {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // Chunked framing, as a real server streams: in Node a cut stream then fails the client's read
      // instead of looking like a clean end of body.
      'Transfer-Encoding': 'chunked',
      'X-Accel-Buffering': 'no',
      'X-Request-Id': requestId,
    },
  });
};

const fromChatRequest = (body: {
  message: string;
  conversation_id?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  parameters?: ChatParameters | undefined;
}): DoorInput => ({
  message: body.message,
  conversationId: body.conversation_id,
  provider: body.provider,
  model: body.model,
  parameters: body.parameters,
  sessionAlias: false,
});

const fromSessionRequest = (body: {
  message: string;
  session_id?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  parameters?: ChatParameters | undefined;
}): DoorInput => ({
  message: body.message,
  conversationId: body.session_id,
  provider: body.provider,
  model: body.model,
  parameters: body.parameters,
  sessionAlias: true,
});

/** `POST /api/chat`: the whole reply as JSON (seed 000). */
export const chatCreate: RouteImplementation<'chat.create'> = async (context) =>
  context.json(await complete(context, fromChatRequest(context.body)));

/** `POST /api/chat/stream`: the reply as resumable SSE frames. */
export const chatStream: RouteImplementation<'chat.stream'> = (context) =>
  stream(context, () => fromChatRequest(context.body));

/** `GET /api/chat/stream`: the same for `EventSource`, the message in the query, the secret maybe in `access_token`. */
export const chatStreamGet: RouteImplementation<'chat.stream_get'> = (context) =>
  stream(context, () => {
    const { message, ...rest } = context.query;
    return message === undefined ? undefined : fromChatRequest({ ...rest, message });
  });

/** `POST /api/chat/responses/{response_id}/cancel`: stops a running reply; its partial text is saved. */
export const chatCancel: RouteImplementation<'chat.responses.cancel'> = ({
  store,
  session,
  params,
  json,
}) => {
  const record = store.chatResponse(session.userId, params.response_id);
  if (record.status !== 'running') return json({ response_id: record.id, status: 'not_running' });
  record.controller.abort(new Error('Cancelled by the client.'));
  return json({ response_id: record.id, status: 'cancelled' });
};

/** `POST /chat/`: the whole reply as JSON, the conversation as `session_id` (seed 004). */
export const studioChatCreate: RouteImplementation<'studio.chat.create'> = async (context) => {
  const { conversation_id, ...answer } = await complete(context, fromSessionRequest(context.body));
  return context.json({ ...answer, session_id: conversation_id });
};

/** `POST /chat/stream`: resumable SSE frames that carry `session_id` (seed 004). */
export const studioChatStream: RouteImplementation<'studio.chat.stream'> = (context) =>
  stream(context, () => fromSessionRequest(context.body));

/**
 * The mocks of the HTTP chat doors, by route id. A conversation is a fake ChatKit thread, so
 * `/chatkit` sees the messages; each reply keeps its frames so `Last-Event-ID` resumes it.
 */
export const chatImplementations = {
  'chat.create': chatCreate,
  'chat.stream': chatStream,
  'chat.stream_get': chatStreamGet,
  'chat.responses.cancel': chatCancel,
  'studio.chat.create': studioChatCreate,
  'studio.chat.stream': studioChatStream,
} as const;
