/** @module @cartrita/sdk/messages: seed 003's messages, which are a conversation's ChatKit items. */

import { Message, MessageDeleted, MessageList } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/**
 * `client.messages.create()` params: `conversation_id`, `role` (`user`, `assistant` or `system`),
 * `content`, and optionally `thinking`, `input_tokens`, `output_tokens` and `extra_data`.
 */
export type MessageCreateParams = RouteBody<'messages.create'>;
/** A message: `{id, conversation_id, role, content, thinking, input_tokens, output_tokens, extra_data, created_at}`. */
export type MessageResult = RouteResult<'messages.get'>;
/** `client.messages.update()` params: `content` and the extras to change. */
export type MessageUpdateParams = RouteBody<'messages.update'>;
/** `client.messages.byConversation()` result: `{messages, total}`, oldest first. */
export type MessageListResult = RouteResult<'messages.by_conversation'>;
/** `client.messages.delete()` result: `{id, deleted: true}`. */
export type MessageDeleteResult = RouteResult<'messages.delete'>;

/**
 * `/api/messages` (seed 003): a `user` or `assistant` message is an item `/chatkit` shows; a
 * `system` message is context the model reads and the chat view does not show.
 */
export class Messages extends APIResource {
  /** `POST /api/messages`. */
  create(params: MessageCreateParams, options?: RequestCallOptions): APIPromise<MessageResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/messages',
      body: params,
      schema: Message,
      ...options,
    });
  }

  /** `GET /api/messages/{id}`. */
  get(id: string, options?: RequestCallOptions): APIPromise<MessageResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/messages/${id}`,
      schema: Message,
      ...options,
    });
  }

  /** `PUT /api/messages/{id}`. */
  update(id: string, params: MessageUpdateParams, options?: RequestCallOptions): APIPromise<MessageResult> {
    return this.transport.request({
      method: 'PUT',
      path: path`/api/messages/${id}`,
      body: params,
      schema: Message,
      ...options,
    });
  }

  /** `DELETE /api/messages/{id}`. */
  delete(id: string, options?: RequestCallOptions): APIPromise<MessageDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/messages/${id}`,
      schema: MessageDeleted,
      ...options,
    });
  }

  /** `GET /api/messages/by-conversation/{conversation_id}`: oldest first. */
  byConversation(conversationId: string, options?: RequestCallOptions): APIPromise<MessageListResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/messages/by-conversation/${conversationId}`,
      schema: MessageList,
      ...options,
    });
  }
}
