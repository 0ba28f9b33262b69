/** @module The chat area's routes: `/api/chat*` (seed 000), `/chat/*` (seed 004) and `/ws/chat`'s plain GET. */
import {
  type ChatRequest,
  type ChatStreamFrame,
  type ChatStreamQuery,
  type chatRoutes,
  type IdsOf,
  isErrorCode,
  type SessionChatRequest,
} from '@cartrita/contracts';
import {
  type FrameSubscription,
  HttpError,
  type LiveResponse,
  parseLastEventId,
  userIdOf,
} from '@cartrita/engine';
import { writeFrames } from '../../http/frame-stream.js';
import type { HandlerContext, RouteHandlers } from '../../routes/types.js';
import { baseUrlOf } from '../chatkit/routes.js';

type ChatRouteId = IdsOf<typeof chatRoutes>;
/** What every chat door uses of its handler's context, whatever its route. */
type Context = Pick<HandlerContext<ChatRouteId>, 'req' | 'res' | 'app' | 'signal'>;

const userOf = ({ req }: Context): string => {
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

/** `GET /api/chat/stream` takes the same fields as the query; without a message it can only resume. */
const fromStreamQuery = (query: ChatStreamQuery): DoorInput | undefined =>
  query.message === undefined ? undefined : fromChatRequest({ ...query, message: query.message });

const fromSessionRequest = (body: SessionChatRequest): DoorInput => ({
  message: body.message,
  conversationId: body.session_id,
  provider: body.provider,
  model: body.model,
  parameters: body.parameters,
  sessionAlias: true,
});

const start = (ctx: Context, input: DoorInput): Promise<LiveResponse> =>
  ctx.app.engine.chat.start({
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
const complete = async (ctx: Context, input: DoorInput) => {
  const live = await start(ctx, input);
  const userId = userOf(ctx);
  const onAbort = () => ctx.app.engine.chat.cancel(live.id, userId);
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
    const code = error?.type === 'error' && isErrorCode(error.code) ? error.code : 'PROVIDER_ERROR';
    throw new HttpError(code, error?.type === 'error' ? error.message : 'The reply did not complete.');
  }
  return { start: start_, done };
};

/** Streams a new reply, or resumes one named by `Last-Event-ID`. */
const stream = async (ctx: Context, input: () => DoorInput | undefined) => {
  const userId = userOf(ctx);
  const point = parseLastEventId(ctx.req.get('Last-Event-ID'));
  let subscription: FrameSubscription;
  if (point) {
    subscription = await ctx.app.engine.chat.subscribe(point, userId);
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
export const chatHandlers: RouteHandlers<ChatRouteId> = {
  'chat.create': async (ctx) => {
    const { done, start: started } = await complete(ctx, fromChatRequest(ctx.body));
    return {
      response: done.response,
      conversation_id: done.conversation_id,
      message_id: done.message_id,
      provider: started.provider,
      model: started.model,
      ...(done.usage ? { usage: done.usage } : {}),
    };
  },

  'chat.stream': (ctx) => stream(ctx, () => fromChatRequest(ctx.body)),

  'chat.stream_get': (ctx) => stream(ctx, () => fromStreamQuery(ctx.query)),

  'chat.responses.cancel': async (ctx) => {
    const responseId = ctx.params.response_id;
    const userId = userOf(ctx);
    if (ctx.app.engine.chat.cancel(responseId, userId))
      return { response_id: responseId, status: 'cancelled' };
    await ctx.app.engine.chat.subscribe({ responseId, afterSeq: 0 }, userId);
    return { response_id: responseId, status: 'not_running' };
  },

  'studio.chat.create': async (ctx) => {
    const { done, start: started } = await complete(ctx, fromSessionRequest(ctx.body));
    return {
      response: done.response,
      session_id: done.conversation_id,
      message_id: done.message_id,
      provider: started.provider,
      model: started.model,
      ...(done.usage ? { usage: done.usage } : {}),
    };
  },

  'studio.chat.stream': (ctx) => stream(ctx, () => fromSessionRequest(ctx.body)),

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
