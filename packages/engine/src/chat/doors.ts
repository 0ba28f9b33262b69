/**
 * @module The chat doors (`/api/chat*`, `/chat/*`): what each asks for, whatever it calls its fields,
 * and the answers they share: a whole reply as JSON, a stream to follow or resume, a cancel.
 */
import type {
  ChatCancelResponse,
  ChatRequest,
  ChatResponse,
  ChatStreamFrame,
  ChatStreamQuery,
  SessionChatRequest,
  SessionChatResponse,
} from '@cartrita/contracts';
import { isErrorCode } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { type ChatService, type FrameSubscription, parseLastEventId } from './chat-service.js';

/** What any chat door asks for. */
export interface DoorInput {
  message: string;
  conversationId?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  parameters?: ChatRequest['parameters'];
  /** Seed 004's doors call the conversation `session_id`. */
  sessionAlias: boolean;
  /** Files the reply may draw on. */
  fileIds?: readonly string[] | undefined;
  /** The persona of the conversation (seed 003). */
  personaId?: string | undefined;
  /** An agent of `GET /api/agents`: a persona, or a provider and model. */
  agent?: string | undefined;
}

/** The body of `POST /api/chat` and `POST /api/chat/stream` (seed 000). */
export const fromChatRequest = (body: ChatRequest): DoorInput => ({
  message: body.message,
  conversationId: body.conversation_id,
  provider: body.provider,
  model: body.model,
  parameters: body.parameters,
  sessionAlias: false,
  fileIds: body.file_ids,
  personaId: body.persona_id,
  agent: body.agent,
});

/** `GET /api/chat/stream` takes the same fields as its query; without a message it can only resume. */
export const fromStreamQuery = (query: ChatStreamQuery): DoorInput | undefined =>
  query.message === undefined ? undefined : fromChatRequest({ ...query, message: query.message });

/** The body of `POST /chat/` and `POST /chat/stream` (seed 004). */
export const fromSessionRequest = (body: SessionChatRequest): DoorInput => ({
  message: body.message,
  conversationId: body.session_id,
  provider: body.provider,
  model: body.model,
  parameters: body.parameters,
  sessionAlias: true,
  fileIds: Array.isArray(body.context) ? body.context : body.context?.file_ids,
  agent: body.agent,
});

/** Who a door's request acts for. */
export interface DoorCaller {
  userId: string;
  /** The server's public origin, for attachment links. */
  baseUrl: string;
  /** Whether the caller may use a provider (an API key's provider scopes); default any. */
  allowProvider?: (provider: string) => boolean;
}

const startReply = (chat: ChatService, input: DoorInput, caller: DoorCaller) =>
  chat.start({
    userId: caller.userId,
    baseUrl: caller.baseUrl,
    text: input.message,
    sessionAlias: input.sessionAlias,
    ...(input.conversationId ? { threadId: input.conversationId } : {}),
    ...(input.provider ? { provider: input.provider } : {}),
    ...(input.model ? { model: input.model } : {}),
    ...(input.parameters ? { parameters: input.parameters } : {}),
    ...(input.fileIds && input.fileIds.length > 0 ? { fileIds: input.fileIds } : {}),
    ...(input.personaId ? { personaId: input.personaId } : {}),
    ...(input.agent ? { agent: input.agent } : {}),
    ...(caller.allowProvider ? { allowProvider: caller.allowProvider } : {}),
  });

/**
 * Runs a reply to its end and returns its first and last frames; a `signal` that aborts (the client
 * went away) cancels it. A reply that fails is thrown as the error it ended with.
 */
const completeReply = async (
  chat: ChatService,
  input: DoorInput,
  caller: DoorCaller,
  signal: AbortSignal,
) => {
  const live = await startReply(chat, input, caller);
  const onAbort = () => chat.cancel(live.id, caller.userId);
  signal.addEventListener('abort', onAbort, { once: true });
  const frames: ChatStreamFrame[] = [];
  await new Promise<void>((resolve) =>
    live.listen(0, (frame) => (frame === 'end' ? resolve() : frames.push(frame.frame))),
  );
  signal.removeEventListener('abort', onAbort);
  const start = frames.find((frame) => frame.type === 'start');
  const done = frames.find((frame) => frame.type === 'done');
  if (done?.type !== 'done' || start?.type !== 'start') {
    if (live.failure instanceof HttpError) throw live.failure;
    const error = frames.find((frame) => frame.type === 'error');
    const code = error?.type === 'error' && isErrorCode(error.code) ? error.code : 'PROVIDER_ERROR';
    throw new HttpError(code, error?.type === 'error' ? error.message : 'The reply did not complete.');
  }
  return { start, done };
};

/** `POST /api/chat`: the whole reply as one JSON answer. */
export const chatReply = async (
  chat: ChatService,
  body: ChatRequest,
  caller: DoorCaller,
  signal: AbortSignal,
): Promise<ChatResponse> => {
  const { start, done } = await completeReply(chat, fromChatRequest(body), caller, signal);
  return {
    response: done.response,
    conversation_id: done.conversation_id,
    message_id: done.message_id,
    provider: start.provider,
    model: start.model,
    ...(done.usage ? { usage: done.usage } : {}),
    ...(done.sources ? { sources: done.sources } : {}),
  };
};

/** `POST /chat/` (seed 004): the whole reply as one JSON answer, the conversation as `session_id`. */
export const sessionChatReply = async (
  chat: ChatService,
  body: SessionChatRequest,
  caller: DoorCaller,
  signal: AbortSignal,
): Promise<SessionChatResponse> => {
  const { start, done } = await completeReply(chat, fromSessionRequest(body), caller, signal);
  return {
    response: done.response,
    session_id: done.conversation_id,
    message_id: done.message_id,
    provider: start.provider,
    model: start.model,
    ...(done.usage ? { usage: done.usage } : {}),
    ...(done.sources ? { sources: done.sources } : {}),
  };
};

/**
 * The frames a streaming door sends: a reply resumed after `Last-Event-ID` (404 when it is another
 * user's or unknown), or a new one. Without a resume point, a door without a message is a 422.
 */
export const replyFrames = async (
  chat: ChatService,
  lastEventId: string | null | undefined,
  input: DoorInput | undefined,
  caller: DoorCaller,
): Promise<FrameSubscription> => {
  const point = parseLastEventId(lastEventId ?? undefined);
  if (point) return chat.subscribe(point, caller.userId);
  if (!input) {
    throw new HttpError('VALIDATION_ERROR', 'A message is required to start a reply.', {
      details: { fields: [{ path: 'query.message', message: 'Required' }] },
    });
  }
  const live = await startReply(chat, input, caller);
  return {
    responseId: live.id,
    listen: (onFrame, onEnd) => live.listen(0, (frame) => (frame === 'end' ? onEnd() : onFrame(frame))),
  };
};

/** `POST /api/chat/responses/{id}/cancel`: stops a running reply of the user, or says it was not running. */
export const cancelReply = async (
  chat: ChatService,
  responseId: string,
  userId: string,
): Promise<ChatCancelResponse> => {
  if (chat.cancel(responseId, userId)) return { response_id: responseId, status: 'cancelled' };
  // Not running here: an unknown or another user's reply is a 404, an ended one is not running.
  await chat.subscribe({ responseId, afterSeq: 0 }, userId);
  return { response_id: responseId, status: 'not_running' };
};

/** The answer of a plain `GET /ws/chat`: a WebSocket needs an upgrade. */
export const websocketOnly = (path: string): HttpError =>
  new HttpError('BAD_REQUEST', `GET ${path} is a WebSocket: connect with an Upgrade: websocket request.`, {
    status: 426,
    headers: { Upgrade: 'websocket' },
  });
