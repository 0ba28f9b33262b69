import * as z from 'zod/mini';
import { Attachment } from './attachments.js';
import { page } from './common.js';
import { StructuredInputAnswer, Thread, ThreadItem, UserMessageInput } from './items.js';
import { Action } from './widgets.js';

// `/*#__PURE__*/` before each `.check()` chain: bundlers cannot tell that a method call has no side
// effects, and would keep every such schema in a bundle that never uses it.

const metadata = z.optional(z.record(z.string(), z.unknown()));
const order = z._default(z.enum(['asc', 'desc']), 'desc');
const limit = z.optional(z.nullable(/*#__PURE__*/ z.int().check(z.gte(1), z.lte(100))));
const after = z.optional(z.nullable(z.string()));

const request = <T extends string, P extends z.ZodMiniType>(type: T, params: P) =>
  z.object({ type: z.literal(type), params, metadata });

const CustomActionParams = z.object({
  thread_id: z.string(),
  item_id: z.optional(z.nullable(z.string())),
  action: Action,
});

/** Start a thread with a first message (streams). */
export const ThreadsCreateRequest = request('threads.create', z.object({ input: UserMessageInput }));
/** Add a user message to a thread (streams). */
export const ThreadsAddUserMessageRequest = request(
  'threads.add_user_message',
  z.object({ thread_id: z.string(), input: UserMessageInput }),
);
/** Answer the pending client tool call of a thread (streams). */
export const ThreadsAddClientToolOutputRequest = request(
  'threads.add_client_tool_output',
  z.object({ thread_id: z.string(), result: z.unknown() }),
);
/** Answer a pending structured input (streams). */
export const ThreadsAddStructuredInputRequest = request(
  'threads.add_structured_input',
  z.object({
    thread_id: z.string(),
    item_id: z.string(),
    input: z.object({
      status: z._default(z.enum(['answered', 'skipped']), 'answered'),
      answers: z.record(z.string(), StructuredInputAnswer),
    }),
  }),
);
/** Drop everything after a user message and answer it again (streams). */
export const ThreadsRetryAfterItemRequest = request(
  'threads.retry_after_item',
  z.object({ thread_id: z.string(), item_id: z.string() }),
);
/** Run a widget action on the server (streams). */
export const ThreadsCustomActionRequest = request('threads.custom_action', CustomActionParams);
/** Fetch a thread with its first page of items. */
export const ThreadsGetByIdRequest = request('threads.get_by_id', z.object({ thread_id: z.string() }));
/** List the caller's threads. */
export const ThreadsListRequest = request('threads.list', z.object({ limit, order, after }));
/** List a thread's items. */
export const ItemsListRequest = request(
  'items.list',
  z.object({ thread_id: z.string(), limit, order, after }),
);
/** Rename a thread. */
export const ThreadsUpdateRequest = request(
  'threads.update',
  z.object({ thread_id: z.string(), title: /*#__PURE__*/ z.string().check(z.maxLength(500)) }),
);
/** Delete a thread and its items. */
export const ThreadsDeleteRequest = request('threads.delete', z.object({ thread_id: z.string() }));
/** Record thumbs up or down on items. */
export const ItemsFeedbackRequest = request(
  'items.feedback',
  z.object({
    thread_id: z.string(),
    item_ids: /*#__PURE__*/ z.array(z.string()).check(z.minLength(1)),
    kind: z.enum(['positive', 'negative']),
  }),
);
/** Announce an upload: returns the attachment with where to send its bytes. */
export const AttachmentsCreateRequest = request(
  'attachments.create',
  z.object({
    name: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(255)),
    size: /*#__PURE__*/ z.int().check(z.gte(0)),
    mime_type: /*#__PURE__*/ z.string().check(z.minLength(1)),
  }),
);
/** Remove an attachment that was not sent. */
export const AttachmentsDeleteRequest = request(
  'attachments.delete',
  z.object({ attachment_id: z.string() }),
);
/** Turn recorded audio into text. */
export const InputTranscribeRequest = request(
  'input.transcribe',
  z.object({ audio_base64: z.string(), mime_type: z.string() }),
);
/** Run a widget action and get the updated item back, without streaming. */
export const ThreadsSyncCustomActionRequest = request('threads.sync_custom_action', CustomActionParams);

/** Every request `/chatkit` accepts, by `type`. */
export const ChatKitRequest = z.discriminatedUnion('type', [
  ThreadsCreateRequest,
  ThreadsAddUserMessageRequest,
  ThreadsAddClientToolOutputRequest,
  ThreadsAddStructuredInputRequest,
  ThreadsRetryAfterItemRequest,
  ThreadsCustomActionRequest,
  ThreadsGetByIdRequest,
  ThreadsListRequest,
  ItemsListRequest,
  ThreadsUpdateRequest,
  ThreadsDeleteRequest,
  ItemsFeedbackRequest,
  AttachmentsCreateRequest,
  AttachmentsDeleteRequest,
  InputTranscribeRequest,
  ThreadsSyncCustomActionRequest,
]);
export type ChatKitRequest = z.infer<typeof ChatKitRequest>;
/** The request as a caller writes it (defaults may be left out). */
export type ChatKitRequestInput = z.input<typeof ChatKitRequest>;
/** The `type` of every {@link ChatKitRequest}. */
export type ChatKitRequestType = ChatKitRequest['type'];
/** The request of one `type`. */
export type ChatKitRequestOf<T extends ChatKitRequestType> = Extract<ChatKitRequest, { type: T }>;
/** The params of one request `type`, as a caller writes them. */
export type ChatKitParamsOf<T extends ChatKitRequestType> = Extract<
  ChatKitRequestInput,
  { type: T }
>['params'];

/** The request types answered with `text/event-stream`. */
export const streamingRequestTypes = [
  'threads.create',
  'threads.add_user_message',
  'threads.add_client_tool_output',
  'threads.add_structured_input',
  'threads.retry_after_item',
  'threads.custom_action',
] as const satisfies readonly ChatKitRequestType[];
/** A request type answered with a stream of events. */
export type StreamingRequestType = (typeof streamingRequestTypes)[number];
/** A request type answered with JSON. */
export type JsonRequestType = Exclude<ChatKitRequestType, StreamingRequestType>;

/** Whether a request type is answered with a stream. */
export const isStreamingRequestType = (type: string): type is StreamingRequestType =>
  (streamingRequestTypes as readonly string[]).includes(type);

/** An empty JSON result: `{}`. */
export const EmptyResult = z.object({});
/** The result of `input.transcribe`. */
export const TranscriptionResult = z.object({ text: z.string() });
/** The result of `threads.sync_custom_action`. */
export const SyncCustomActionResult = z.object({ updated_item: z.optional(ThreadItem) });

/** The JSON result schema of every non-streaming request type. */
export const chatKitJsonResults = {
  'threads.get_by_id': Thread,
  'threads.list': page(Thread),
  'items.list': page(ThreadItem),
  'threads.update': Thread,
  'threads.delete': EmptyResult,
  'items.feedback': EmptyResult,
  'attachments.create': Attachment,
  'attachments.delete': EmptyResult,
  'input.transcribe': TranscriptionResult,
  'threads.sync_custom_action': SyncCustomActionResult,
} as const satisfies Record<JsonRequestType, z.ZodMiniType>;

/** The JSON result of one non-streaming request type. */
export type ChatKitResultOf<T extends JsonRequestType> = z.infer<(typeof chatKitJsonResults)[T]>;

/** Any JSON result of `/chatkit`. */
export const ChatKitJsonResult = z.union([
  Thread,
  page(Thread),
  page(ThreadItem),
  Attachment,
  TranscriptionResult,
  SyncCustomActionResult,
  EmptyResult,
]);
export type ChatKitJsonResult = z.infer<typeof ChatKitJsonResult>;
