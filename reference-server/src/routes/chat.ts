import {
  type ChatRequest,
  type ChatStreamFrame,
  type ErrorCode,
  errorCodes,
  type SessionChatRequest,
} from '@cartrita/contracts';
import { userIdOf } from '../auth/auth-context.js';
import { type FrameSubscription, parseLastEventId } from '../engine/chat/chat-service.js';
import type { LiveResponse } from '../engine/chat/live-response.js';
import { writeFrames } from '../http/frame-stream.js';
import { HttpError } from '../http-error.js';
import { baseUrlOf } from './chatkit.js';
import type { HandlerContext, RouteHandlers } from './types.js';

const userOf = ({ req }: HandlerContext): string => {
  const userId = userIdOf(req.auth);
  if (!userId) throw new HttpError('UNAUTHORIZED', 'A client secret or an API key is required.');
  return userId;
};

type DoorInput = {
  message: string;
  conversationId?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  parameters?: ChatRequest['parameters'];
  sessionAlias: boolean;
};

const fromChatRequest = (body: ChatRequest): DoorInput => ({
  message: body.message,
  conversationId: body.conversation_id,
  provider: body.provider,
  model: body.model,
  parameters: body.parameters,
  sessionAlias: false,
});

const fromSessionRequest = (body: SessionChatRequest): DoorInput => ({
  message: body.message,
  conversationId: body.session_id,
  provider: body.provider,
  model: body.model,
  parameters: body.parameters,
  sessionAlias: true,
});

const start = (ctx: HandlerContext, input: DoorInput): Promise<LiveResponse> =>
  ctx.app.chat.start({
    userId: userOf(ctx),
    baseUrl: baseUrlOf(ctx.req, ctx.app),
    text: input.message,
    sessionAlias: input.sessionAlias,
    ...(input.conversationId ? { threadId: input.conversationId } : {}),
    ...(input.provider ? { provider: input.provider } : {}),
    ...(input.model ? { model: input.model } : {}),
    ...(input.parameters ? { parameters: input.parameters } : {}),
  });

/** Runs a reply to its end and answers it as one JSON body; a client that goes away cancels it. */
const complete = async (ctx: HandlerContext, input: DoorInput) => {
  const live = await start(ctx, input);
  const userId = userOf(ctx);
  const onAbort = () => ctx.app.chat.cancel(live.id, userId);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const frames: ChatStreamFrame[] = [];
  await new Promise<void>((resolve) =>
    live.listen(0, (frame) => (frame === 'end' ? resolve() : frames.push(frame.frame))),
  );
  ctx.signal.removeEventListener('abort', onAbort);
  const start_ = frames.find((frame) => frame.type === 'start');
  const done = frames.find((frame) => frame.type === 'done');
  if (done?.type !== 'done' || start_?.type !== 'start') {
    if (live.failure instanceof HttpError) throw live.failure;
    const error = frames.find((frame) => frame.type === 'error');
    const code =
      error?.type === 'error' && (errorCodes as readonly string[]).includes(error.code)
        ? (error.code as ErrorCode)
        : 'PROVIDER_ERROR';
    throw new HttpError(code, error?.type === 'error' ? error.message : 'The reply did not complete.');
  }
  return { start: start_, done };
};

/** Streams a new reply, or resumes one named by `Last-Event-ID`. */
const stream = async (ctx: HandlerContext, input: () => DoorInput | undefined) => {
  const userId = userOf(ctx);
  const point = parseLastEventId(ctx.req.get('Last-Event-ID'));
  let subscription: FrameSubscription;
  if (point) {
    subscription = await ctx.app.chat.subscribe(point, userId);
  } else {
    const door = input();
    if (!door) {
      throw new HttpError('VALIDATION_ERROR', 'A message is required to start a reply.', {
        details: { fields: [{ path: 'query.message', message: 'Required' }] },
      });
    }
    const live = await start(ctx, door);
    subscription = {
      responseId: live.id,
      listen: (onFrame, onEnd) => live.listen(0, (f) => (f === 'end' ? onEnd() : onFrame(f))),
    };
  }
  await writeFrames(ctx.res, subscription, { heartbeatMs: ctx.app.streaming.heartbeatMs });
  return undefined;
};

/** `/api/chat*` (seed 000) and `/chat/*` (seed 004). */
export const chatHandlers: RouteHandlers = {
  'chat.create': async (ctx) => {
    const { done, start: started } = await complete(ctx, fromChatRequest(ctx.body as ChatRequest));
    return {
      response: done.response,
      conversation_id: done.conversation_id,
      message_id: done.message_id,
      provider: started.provider,
      model: started.model,
      ...(done.usage ? { usage: done.usage } : {}),
    };
  },

  'chat.stream': (ctx) => stream(ctx, () => fromChatRequest(ctx.body as ChatRequest)),

  'chat.stream_get': (ctx) =>
    stream(ctx, () => {
      const query = ctx.query as Partial<ChatRequest>;
      return query.message ? fromChatRequest(query as ChatRequest) : undefined;
    }),

  'chat.responses.cancel': async (ctx) => {
    const responseId = ctx.params.response_id!;
    const userId = userOf(ctx);
    if (ctx.app.chat.cancel(responseId, userId)) return { response_id: responseId, status: 'cancelled' };
    await ctx.app.chat.subscribe({ responseId, afterSeq: 0 }, userId);
    return { response_id: responseId, status: 'not_running' };
  },

  'studio.chat.create': async (ctx) => {
    const { done, start: started } = await complete(ctx, fromSessionRequest(ctx.body as SessionChatRequest));
    return {
      response: done.response,
      session_id: done.conversation_id,
      message_id: done.message_id,
      provider: started.provider,
      model: started.model,
      ...(done.usage ? { usage: done.usage } : {}),
    };
  },

  'studio.chat.stream': (ctx) => stream(ctx, () => fromSessionRequest(ctx.body as SessionChatRequest)),

  'chat.realtime': async () => {
    throw new HttpError(
      'BAD_REQUEST',
      'GET /ws/chat is a WebSocket: connect with an Upgrade: websocket request.',
      {
        status: 426,
        headers: { Upgrade: 'websocket' },
      },
    );
  },
};
