/** @module @cartrita/sdk/conversations: seed 003's conversations, which are ChatKit threads. */

import {
  Conversation,
  ConversationDeleted,
  ConversationList,
  ConversationMemoriesCleared,
} from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/** `client.conversations.create()` params: `title`, `persona_id`, `provider_type`, `provider_config`, all optional. */
export type ConversationCreateParams = RouteBody<'conversations.create'>;
/** A conversation: `{id, title, persona_id, provider_type, provider_config, created_at, updated_at}`. */
export type ConversationResult = RouteResult<'conversations.get'>;
/** `client.conversations.update()` params: the fields to change; `null` clears one. */
export type ConversationUpdateParams = RouteBody<'conversations.update'>;
/** `client.conversations.byPersona()` result: `{conversations, total}`, newest first. */
export type ConversationListResult = RouteResult<'conversations.by_persona'>;
/** `client.conversations.deleteMemories()` result: `{id, cleared}`. */
export type ConversationMemoriesDeleteResult = RouteResult<'conversations.memories.delete'>;
/** `client.conversations.delete()` result: `{id, deleted: true}`. */
export type ConversationDeleteResult = RouteResult<'conversations.delete'>;

/**
 * `/api/conversations` (seed 003): a conversation is a ChatKit thread with the same id, so what
 * this creates `/chatkit` lists, and the other way round.
 *
 * @example
 * ```ts
 * const conversation = await client.conversations.create({ title: 'Trip planning', persona_id });
 * await client.messages.create({ conversation_id: conversation.id, role: 'user', content: 'Hi' });
 * ```
 */
export class Conversations extends APIResource {
  /** `POST /api/conversations`. */
  create(
    params: ConversationCreateParams = {},
    options?: RequestCallOptions,
  ): APIPromise<ConversationResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/conversations',
      body: params,
      schema: Conversation,
      ...options,
    });
  }

  /** `GET /api/conversations/{id}`. */
  get(id: string, options?: RequestCallOptions): APIPromise<ConversationResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/conversations/${id}`,
      schema: Conversation,
      ...options,
    });
  }

  /** `PUT /api/conversations/{id}`. */
  update(
    id: string,
    params: ConversationUpdateParams,
    options?: RequestCallOptions,
  ): APIPromise<ConversationResult> {
    return this.transport.request({
      method: 'PUT',
      path: path`/api/conversations/${id}`,
      body: params,
      schema: Conversation,
      ...options,
    });
  }

  /** `DELETE /api/conversations/{id}`: with its messages and attachments. */
  delete(id: string, options?: RequestCallOptions): APIPromise<ConversationDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/conversations/${id}`,
      schema: ConversationDeleted,
      ...options,
    });
  }

  /** `DELETE /api/conversations/{id}/memories`: forgets what its exchanges left in memory. */
  deleteMemories(id: string, options?: RequestCallOptions): APIPromise<ConversationMemoriesDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/conversations/${id}/memories`,
      schema: ConversationMemoriesCleared,
      ...options,
    });
  }

  /** `GET /api/conversations/by-persona/{persona_id}`: newest first. */
  byPersona(personaId: string, options?: RequestCallOptions): APIPromise<ConversationListResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/conversations/by-persona/${personaId}`,
      schema: ConversationList,
      ...options,
    });
  }
}
