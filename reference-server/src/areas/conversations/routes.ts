/** @module Seed 003's conversations and messages: ChatKit threads and their items, in seed 003's shapes. */
import type { conversationRoutes, IdsOf } from '@cartrita/contracts';
import { type AuthContext, conversationUserOf } from '@cartrita/engine';
import type { Request } from 'express';
import type { RouteHandlers } from '../../routes/types.js';

const userOf = (req: Request) => conversationUserOf(req.auth as AuthContext | undefined);

export const conversationHandlers: RouteHandlers<IdsOf<typeof conversationRoutes>> = {
  'conversations.create': ({ app, req, body }) => app.engine.conversations.create(userOf(req), body ?? {}),
  'conversations.by_persona': ({ app, req, params }) =>
    app.engine.conversations.byPersona(userOf(req), params.persona_id),
  'conversations.get': ({ app, req, params }) => app.engine.conversations.get(userOf(req), params.id),
  'conversations.update': ({ app, req, params, body }) =>
    app.engine.conversations.update(userOf(req), params.id, body),
  'conversations.delete': ({ app, req, params }) => app.engine.conversations.delete(userOf(req), params.id),
  'conversations.memories.delete': ({ app, req, params }) =>
    app.engine.conversations.deleteMemories(userOf(req), params.id),
  'messages.create': ({ app, req, body }) => app.engine.conversations.addMessage(userOf(req), body),
  'messages.by_conversation': ({ app, req, params }) =>
    app.engine.conversations.messages(userOf(req), params.conversation_id),
  'messages.get': ({ app, req, params }) => app.engine.conversations.getMessage(userOf(req), params.id),
  'messages.update': ({ app, req, params, body }) =>
    app.engine.conversations.updateMessage(userOf(req), params.id, body),
  'messages.delete': ({ app, req, params }) => app.engine.conversations.deleteMessage(userOf(req), params.id),
};
