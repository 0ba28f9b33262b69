/** @module The chat area's routes: `/api/chat*` (seed 000), `/chat/*` (seed 004) and `/ws/chat`'s plain GET. */
import type { chatRoutes, IdsOf } from '@cartrita/contracts';
import {
  cancelReply,
  chatReply,
  type DoorCaller,
  type DoorInput,
  fromChatRequest,
  fromSessionRequest,
  fromStreamQuery,
  HttpError,
  providerAllowed,
  replyFrames,
  sessionChatReply,
  userIdOf,
  websocketOnly,
} from '@cartrita/engine';
import { writeFrames } from '../../http/frame-stream.js';
import type { HandlerContext, RouteHandlers } from '../../routes/types.js';
import { baseUrlOf } from '../chatkit/routes.js';

type ChatRouteId = IdsOf<typeof chatRoutes>;
/** What every chat door uses of its handler's context, whatever its route. */
type Context = Pick<HandlerContext<ChatRouteId>, 'req' | 'res' | 'app'>;

const callerOf = ({ req, app }: Context): DoorCaller => {
  const userId = userIdOf(req.auth);
  if (!userId) throw new HttpError('UNAUTHORIZED', 'A client secret or an API key is required.');
  return { userId, baseUrl: baseUrlOf(req, app), allowProvider: providerAllowed(req.auth) };
};

/** Streams a new reply, or resumes the one `Last-Event-ID` names. */
const stream = async (ctx: Context, input: DoorInput | undefined) => {
  const frames = await replyFrames(ctx.app.engine.chat, ctx.req.get('Last-Event-ID'), input, callerOf(ctx));
  await writeFrames(ctx.res, frames, { heartbeatMs: ctx.app.streaming.heartbeatMs });
  return undefined;
};

/** `/api/chat*` (seed 000) and `/chat/*` (seed 004). */
export const chatHandlers: RouteHandlers<ChatRouteId> = {
  'chat.create': (ctx) => chatReply(ctx.app.engine.chat, ctx.body, callerOf(ctx), ctx.signal),
  'chat.stream': (ctx) => stream(ctx, fromChatRequest(ctx.body)),
  'chat.stream_get': (ctx) => stream(ctx, fromStreamQuery(ctx.query)),
  'chat.responses.cancel': (ctx) =>
    cancelReply(ctx.app.engine.chat, ctx.params.response_id, callerOf(ctx).userId),
  'studio.chat.create': (ctx) => sessionChatReply(ctx.app.engine.chat, ctx.body, callerOf(ctx), ctx.signal),
  'studio.chat.stream': (ctx) => stream(ctx, fromSessionRequest(ctx.body)),
  'chat.realtime': async (ctx) => {
    throw websocketOnly(ctx.req.path);
  },
};
