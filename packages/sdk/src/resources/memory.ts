/** @module @cartrita/sdk/memory: `/memory/` of seed 004: what the assistant remembers of the caller's user. */

import { MemoryCleared, MemoryDeleted, MemoryEntry, MemoryList } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { offsetPages, type PagePromise, requestPage } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteQuery, RouteResult } from '../core/route-types.js';

/** `client.memory.list()` params: `type` (`profile`, `fact`, `conversation`), `limit`, `offset`. */
export type MemoryListParams = RouteQuery<'memory.list'>;
/** `client.memory.list()` result: `{memories, total}`, newest first. */
export type MemoryListResult = RouteResult<'memory.list'>;
/** `client.memory.create()` params: `type` (`profile` or `fact`), `content`, `metadata`. */
export type MemoryCreateParams = RouteBody<'memory.create'>;
/** `client.memory.create()` result: the memory `{id, type, content, metadata, timestamp}`. */
export type MemoryCreateResult = RouteResult<'memory.create'>;
/** `client.memory.get()` result: the memory. */
export type MemoryGetResult = RouteResult<'memory.get'>;
/** `client.memory.update()` params: `content`, `metadata` or both. */
export type MemoryUpdateParams = RouteBody<'memory.update'>;
/** `client.memory.update()` result: the memory after the change. */
export type MemoryUpdateResult = RouteResult<'memory.update'>;
/** `client.memory.delete()` result: `{id, deleted: true}`. */
export type MemoryDeleteResult = RouteResult<'memory.delete'>;
/** `client.memory.clear()` params: `type`, `older_than` (ISO 8601), both, or nothing to clear all. */
export type MemoryClearParams = NonNullable<RouteBody<'memory.clear'>>;
/** `client.memory.clear()` result: `{cleared}`, how many memories went. */
export type MemoryClearResult = RouteResult<'memory.clear'>;

/**
 * `/memory/`: the caller's memories. Every chat exchange is kept as a `conversation` memory of its
 * session; `profile` and `fact` memories are made here. Memories join the prompts of later chats.
 *
 * @example
 * ```ts
 * await client.memory.create({ type: 'fact', content: 'The user lives in Lisbon' });
 * const { memories, total } = await client.memory.list({ type: 'conversation', limit: 10 });
 * await client.memory.clear({ older_than: '2026-01-01T00:00:00Z' });
 * ```
 */
export class Memory extends APIResource {
  /** `GET /memory/`: the caller's memories, newest first; iterate it to go through every page. */
  list(
    params: MemoryListParams = {},
    options?: RequestCallOptions,
  ): PagePromise<MemoryListResult, MemoryListResult['memories'][number]> {
    return requestPage(
      this.transport,
      { method: 'GET', path: '/memory/', query: { ...params }, schema: MemoryList, ...options },
      offsetPages('memories', params.offset, (offset) => this.list({ ...params, offset }, options)),
    );
  }

  /** `POST /memory/`: remembers a `profile` entry or a `fact`. */
  create(params: MemoryCreateParams, options?: RequestCallOptions): APIPromise<MemoryCreateResult> {
    return this.transport.request({
      method: 'POST',
      path: '/memory/',
      body: params,
      schema: MemoryEntry,
      ...options,
    });
  }

  /** `GET /memory/{memory_id}`: one memory. */
  get(memoryId: string, options?: RequestCallOptions): APIPromise<MemoryGetResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/memory/${memoryId}`,
      schema: MemoryEntry,
      ...options,
    });
  }

  /** `PUT /memory/{memory_id}`: changes a memory's content or metadata. */
  update(
    memoryId: string,
    params: MemoryUpdateParams,
    options?: RequestCallOptions,
  ): APIPromise<MemoryUpdateResult> {
    return this.transport.request({
      method: 'PUT',
      path: path`/memory/${memoryId}`,
      body: params,
      schema: MemoryEntry,
      ...options,
    });
  }

  /** `DELETE /memory/{memory_id}`: forgets a memory. */
  delete(memoryId: string, options?: RequestCallOptions): APIPromise<MemoryDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/memory/${memoryId}`,
      schema: MemoryDeleted,
      ...options,
    });
  }

  /** `POST /memory/clear`: forgets memories by type, by age, or all of them. */
  clear(params: MemoryClearParams = {}, options?: RequestCallOptions): APIPromise<MemoryClearResult> {
    return this.transport.request({
      method: 'POST',
      path: '/memory/clear',
      body: params,
      schema: MemoryCleared,
      ...options,
    });
  }
}
