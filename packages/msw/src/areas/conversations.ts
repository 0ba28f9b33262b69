/** @module Mocks of seed 003's conversations and messages: the engine's service over the store. */
import { conversationUserOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

type Id =
  | 'conversations.create'
  | 'conversations.by_persona'
  | 'conversations.get'
  | 'conversations.update'
  | 'conversations.delete'
  | 'conversations.memories.delete'
  | 'messages.create'
  | 'messages.by_conversation'
  | 'messages.get'
  | 'messages.update'
  | 'messages.delete';

/** The mocks of the conversation and message routes, by route id. */
export const conversationImplementations: { [K in Id]: RouteImplementation<K> } = {
  'conversations.create': async ({ store, caller, body, json }) =>
    json(await store.engine.conversations.create(conversationUserOf(caller.auth), body ?? {})),
  'conversations.by_persona': async ({ store, caller, params, json }) =>
    json(await store.engine.conversations.byPersona(conversationUserOf(caller.auth), params.persona_id)),
  'conversations.get': async ({ store, caller, params, json }) =>
    json(await store.engine.conversations.get(conversationUserOf(caller.auth), params.id)),
  'conversations.update': async ({ store, caller, params, body, json }) =>
    json(await store.engine.conversations.update(conversationUserOf(caller.auth), params.id, body)),
  'conversations.delete': async ({ store, caller, params, json }) =>
    json(await store.engine.conversations.delete(conversationUserOf(caller.auth), params.id)),
  'conversations.memories.delete': async ({ store, caller, params, json }) =>
    json(await store.engine.conversations.deleteMemories(conversationUserOf(caller.auth), params.id)),
  'messages.create': async ({ store, caller, body, json }) =>
    json(await store.engine.conversations.addMessage(conversationUserOf(caller.auth), body)),
  'messages.by_conversation': async ({ store, caller, params, json }) =>
    json(await store.engine.conversations.messages(conversationUserOf(caller.auth), params.conversation_id)),
  'messages.get': async ({ store, caller, params, json }) =>
    json(await store.engine.conversations.getMessage(conversationUserOf(caller.auth), params.id)),
  'messages.update': async ({ store, caller, params, body, json }) =>
    json(await store.engine.conversations.updateMessage(conversationUserOf(caller.auth), params.id, body)),
  'messages.delete': async ({ store, caller, params, json }) =>
    json(await store.engine.conversations.deleteMessage(conversationUserOf(caller.auth), params.id)),
};
