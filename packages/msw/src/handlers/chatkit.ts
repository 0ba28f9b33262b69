import {
  type ChatKitRequestOf,
  type ChatKitResultOf,
  chatKitJsonResults,
  isStreamingRequestType,
  type JsonRequestType,
  type StreamingRequestType,
  type StructuredInputItem,
  type ThreadStreamEvent,
  type UserMessageItem,
} from '@cartrita/contracts';
import { HttpResponse } from 'msw';
import { MockHttpError } from '../errors.js';
import { textOf, titleFrom } from '../responder.js';
import type { RouteContext, RouteImplementation } from '../route-handler.js';
import type { ThreadRecord } from '../store.js';
import { respond, type TurnState, turnStream } from '../turn.js';

type ChatKitContext = RouteContext<'chatkit.request'>;

/** Answers one streaming request type: checks first (thrown as HTTP errors), then the events. */
type StreamingFlow<T extends StreamingRequestType> = (
  context: ChatKitContext,
  request: ChatKitRequestOf<T>,
) => AsyncIterable<ThreadStreamEvent>;

/** Answers one JSON request type. */
type JsonFlow<T extends JsonRequestType> = (
  context: ChatKitContext,
  request: ChatKitRequestOf<T>,
) => ChatKitResultOf<T> | Promise<ChatKitResultOf<T>>;

const streamOptions: ThreadStreamEvent = { type: 'stream_options', stream_options: { allow_cancel: true } };

/** Drops `null`s from data a client sent (tool results): the wire never carries them. */
const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.filter((entry) => entry !== null).map(withoutNulls);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, entry]) => entry !== null)
        .map(([key, entry]) => [key, withoutNulls(entry)]),
    );
  }
  return value;
};

/** The first turn names the thread after the user's message; `thread.updated` tells the client. */
function* titleIfUnnamed(
  context: ChatKitContext,
  thread: ThreadRecord,
  input: UserMessageItem,
): Generator<ThreadStreamEvent> {
  if (thread.title !== undefined) return;
  thread.title = titleFrom(textOf(input));
  yield { type: 'thread.updated', thread: context.store.toThread(thread) };
}

/** `thread.item.done`(user_message) → `stream_options` → reply → [`thread.updated`]. */
const userTurn = (
  context: ChatKitContext,
  thread: ThreadRecord,
  type: 'threads.create' | 'threads.add_user_message',
  input: UserMessageItem,
  turn: TurnState,
) =>
  (async function* () {
    context.store.saveItem(thread, input);
    yield { type: 'thread.item.done', item: input } satisfies ThreadStreamEvent;
    yield streamOptions;
    yield* respond(context.store, thread, { type, input }, turn);
    yield* titleIfUnnamed(context, thread, input);
  })();

const streamingFlows: { readonly [T in StreamingRequestType]: StreamingFlow<T> } = {
  'threads.create': (context, { params }) => {
    const { store, session } = context;
    store.assertAttachments(session.userId, params.input.attachments);
    const thread = store.createThread(session.userId);
    const input = store.userMessage(thread, params.input);
    return turnStream(store, thread, async function* (turn) {
      yield { type: 'thread.created', thread: store.toThread(thread) };
      yield* userTurn(context, thread, 'threads.create', input, turn);
    });
  },

  'threads.add_user_message': (context, { params }) => {
    const { store, session } = context;
    const thread = store.getOpenThread(session.userId, params.thread_id);
    const input = store.userMessage(thread, params.input);
    return turnStream(store, thread, (turn) =>
      userTurn(context, thread, 'threads.add_user_message', input, turn),
    );
  },

  'threads.add_client_tool_output': (context, { params }) => {
    const { store, session } = context;
    const thread = store.getOpenThread(session.userId, params.thread_id);
    const newest = store.visibleItems(thread).at(-1);
    if (newest?.type !== 'client_tool_call' || newest.status !== 'pending') {
      throw new MockHttpError('CONFLICT', `Thread ${thread.id} has no pending client tool call`);
    }
    return turnStream(store, thread, async function* (turn) {
      const toolCall = {
        ...newest,
        status: 'completed' as const,
        ...(params.result !== undefined ? { output: withoutNulls(params.result) } : {}),
      };
      // Saved without an event, as the official server does; other dangling calls are dropped.
      store.saveItem(thread, toolCall);
      const dangling = store
        .visibleItems(thread)
        .filter((item) => item.type === 'client_tool_call' && item.status === 'pending')
        .map((item) => item.id);
      store.removeItems(thread, dangling);
      yield streamOptions;
      yield* respond(store, thread, { type: 'threads.add_client_tool_output', toolCall }, turn);
    });
  },

  'threads.add_structured_input': (context, { params }) => {
    const { store, session } = context;
    const thread = store.getOpenThread(session.userId, params.thread_id);
    const item = store.getItem(thread, params.item_id);
    if (item.type !== 'structured_input' || item.status !== 'pending') {
      throw new MockHttpError('CONFLICT', `Item ${item.id} is not a pending structured input`);
    }
    return turnStream(store, thread, async function* (turn) {
      yield streamOptions;
      const answered: StructuredInputItem = {
        ...item,
        status: params.input.status,
        inputs: item.inputs.map((question) => {
          const answer =
            params.input.status === 'skipped'
              ? { values: [], skipped: true }
              : params.input.answers[question.id];
          return answer ? { ...question, answer } : question;
        }),
      };
      store.saveItem(thread, answered);
      yield { type: 'thread.item.replaced', item: answered };
      yield* respond(
        store,
        thread,
        { type: 'threads.add_structured_input', structuredInput: answered },
        turn,
      );
    });
  },

  'threads.retry_after_item': (context, { params }) => {
    const { store, session } = context;
    const thread = store.getOpenThread(session.userId, params.thread_id);
    const item = store.getItem(thread, params.item_id);
    if (item.type !== 'user_message') {
      throw new MockHttpError(
        'BAD_REQUEST',
        `Item ${item.id} is not a user message; only user messages can be retried`,
      );
    }
    return turnStream(store, thread, async function* (turn) {
      // No `thread.item.removed` events: the client drops the items itself.
      store.removeItemsAfter(thread, item.id);
      yield streamOptions;
      yield* respond(store, thread, { type: 'threads.retry_after_item', input: item }, turn);
    });
  },

  'threads.custom_action': (context, { params }) => {
    const { store, session } = context;
    const thread = store.getOpenThread(session.userId, params.thread_id);
    const item = params.item_id ? store.getItem(thread, params.item_id) : undefined;
    return turnStream(store, thread, async function* (turn) {
      yield streamOptions;
      if (item && item.type !== 'widget') {
        yield { type: 'error', code: 'stream.error', allow_retry: false };
        return;
      }
      yield* respond(
        store,
        thread,
        { type: 'threads.custom_action', action: params.action, ...(item ? { widget: item } : {}) },
        turn,
      );
    });
  },
};

const jsonFlows: { readonly [T in JsonRequestType]: JsonFlow<T> } = {
  'threads.get_by_id': ({ store, session }, { params }) =>
    store.threadWithItems(session.userId, params.thread_id),
  'threads.list': ({ store, session }, { params }) => store.listThreads(session.userId, params),
  'items.list': ({ store, session }, { params }) => store.listItems(session.userId, params.thread_id, params),
  'threads.update': ({ store, session }, { params }) =>
    store.renameThread(session.userId, params.thread_id, params.title),
  'threads.delete': ({ store, session }, { params }) => {
    store.deleteThread(session.userId, params.thread_id);
    return {};
  },
  'items.feedback': ({ store, session }, { params }) => {
    store.recordFeedback(session.userId, params.thread_id, params.item_ids, params.kind);
    return {};
  },
  'attachments.create': ({ store, session }, { params }) => store.createAttachment(session.userId, params),
  'attachments.delete': ({ store, session }, { params }) => {
    store.deleteAttachment(session.userId, params.attachment_id);
    return {};
  },
  'input.transcribe': ({ store }, { params }) => ({ text: store.transcribe(params) }),
  'threads.sync_custom_action': ({ store, session }, { params }) => {
    const thread = store.getThread(session.userId, params.thread_id);
    const item = params.item_id ? store.getItem(thread, params.item_id) : undefined;
    if (item && item.type !== 'widget') {
      throw new MockHttpError('BAD_REQUEST', `Item ${item.id} is not a widget, so it has no actions`);
    }
    return {};
  },
};

/**
 * `POST /chatkit`: the ChatKit protocol. Streaming request types answer `text/event-stream` in the
 * official server's event order; the others answer JSON checked against `chatKitJsonResults[type]`.
 */
export const chatkitRequest: RouteImplementation<'chatkit.request'> = async (context) => {
  const request = context.body;
  if (isStreamingRequestType(request.type)) {
    const flow = streamingFlows[request.type] as StreamingFlow<StreamingRequestType>;
    return context.sse(flow(context, request as ChatKitRequestOf<StreamingRequestType>));
  }
  const type = request.type as JsonRequestType;
  const flow = jsonFlows[type] as JsonFlow<JsonRequestType>;
  const result = await flow(context, request as ChatKitRequestOf<JsonRequestType>);
  return context.json(result, { schema: chatKitJsonResults[type] });
};

/** `POST /api/chatkit/session`: a client secret for a new session. Only an API key may name the `user`. */
export const createSession: RouteImplementation<'chatkit.session.create'> = ({
  json,
  store,
  body,
  apiKey,
}) => {
  if (body?.user !== undefined && !apiKey) {
    throw new MockHttpError('FORBIDDEN', 'Only a caller with an API key may name the user of a session');
  }
  return json(
    store.createSession({
      ...(body?.user !== undefined ? { user: body.user } : {}),
      ...(body?.ttl_seconds !== undefined ? { ttlSeconds: body.ttl_seconds } : {}),
    }),
  );
};

const fileOf = async (form: FormData) => {
  const file = form.get('file') as File;
  return {
    name: file.name || 'upload',
    mime_type: file.type || 'application/octet-stream',
    bytes: new Uint8Array(await file.arrayBuffer()),
  };
};

/** `POST /chatkit/attachments`: direct upload, multipart field `file`. */
export const uploadAttachment: RouteImplementation<'chatkit.attachments.upload'> = async ({
  json,
  store,
  session,
  body,
}) => json(store.uploadAttachment(session.userId, await fileOf(body)));

/** `POST /chatkit/attachments/{attachment_id}/upload`: the bytes of a two-phase upload, at its signed URL. */
export const uploadAttachmentBytes: RouteImplementation<'chatkit.attachments.upload_bytes'> = async ({
  json,
  store,
  params,
  query,
  body,
}) => {
  const { bytes } = await fileOf(body);
  return json(store.uploadAttachmentBytes(params.attachment_id, query, bytes));
};

/** `GET /chatkit/attachments/{attachment_id}/preview`: the bytes behind a signed `preview_url`. */
export const previewAttachment: RouteImplementation<'chatkit.attachments.preview'> = ({
  store,
  params,
  query,
  requestId,
}) => {
  const { bytes, mime_type } = store.previewAttachment(params.attachment_id, query);
  return new HttpResponse(bytes, {
    headers: {
      'Content-Type': mime_type,
      'Cache-Control': 'private, max-age=3600',
      'X-Request-Id': requestId,
    },
  });
};

/** The mocks of the ChatKit routes, by route id. */
export const chatkitImplementations = {
  'chatkit.session.create': createSession,
  'chatkit.request': chatkitRequest,
  'chatkit.attachments.upload': uploadAttachment,
  'chatkit.attachments.upload_bytes': uploadAttachmentBytes,
  'chatkit.attachments.preview': previewAttachment,
} as const;
