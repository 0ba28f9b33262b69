/** @module @cartrita/sdk/studio: `/chat/` of seed 004. */

import { SessionChatResponse } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';
import { ChatStream, type ChatStreamOptions } from './chat.js';

/** `client.studio.chat.create()` params (seed 004): `session_id` continues a conversation. */
export type StudioChatCreateParams = RouteBody<'studio.chat.create'>;

/** `client.studio.chat.create()` result: the whole reply and its `session_id`. */
export type StudioChatCreateResult = RouteResult<'studio.chat.create'>;

/** `client.studio.chat.stream()` params: the same fields as {@link StudioChatCreateParams}. */
export type StudioChatStreamParams = RouteBody<'studio.chat.stream'>;

/**
 * `/chat/` of seed 004: the same engine and conversations as `/api/chat`, with the conversation
 * called `session_id` (made when absent) and `context` naming uploaded files.
 *
 * @example
 * ```ts
 * const first = await client.studio.chat.create({ message: 'Summarise the report', context: ['atc_1'] });
 * const stream = await client.studio.chat.stream({ message: 'Shorter', session_id: first.session_id });
 * console.log((await stream.finalResponse()).response);
 * ```
 */
export class StudioChat extends APIResource {
  /** `POST /chat/`: sends a message and answers the whole reply with its `session_id`. */
  create(params: StudioChatCreateParams, options?: RequestCallOptions): APIPromise<StudioChatCreateResult> {
    return this.transport.request({
      method: 'POST',
      path: '/chat/',
      body: params,
      schema: SessionChatResponse,
      ...options,
    });
  }

  /**
   * `POST /chat/stream`: streams the reply; its `start` and `done` frames carry `session_id`. The
   * stream resumes by itself after a dropped connection, as `client.chat.stream()` does; see
   * {@link ChatStream}.
   */
  stream(params: StudioChatStreamParams, options?: ChatStreamOptions): APIPromise<ChatStream> {
    return ChatStream.open(this.transport, { method: 'POST', path: '/chat/stream', body: params }, options);
  }
}

/** The routes of seed 004 ("Local Agent Studio"). */
export class Studio extends APIResource {
  /** `POST /chat/` and `POST /chat/stream`. */
  readonly chat = new StudioChat(this.transport);
}
