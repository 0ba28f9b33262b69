/** @module @cartrita/sdk/engines: LLMGine's engines (seed 001): a model behind a session, called with a prompt. */

import { Engine, EngineDeleted, EngineExecution, EngineList } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteQuery, RouteResult } from '../core/route-types.js';

/**
 * `client.engines.create()` params: `engine_type` (`DummyEngine`, or a chat provider's name such as
 * `demo` or `openai`), `model_name`, `session_id`, and `configuration` (`temperature`, `max_tokens`,
 * `top_p`, `system_prompt`: the defaults of every call).
 */
export type EngineCreateParams = RouteBody<'engines.create'>;
/** `client.engines.create()` result: the engine, `initialized`. */
export type EngineCreateResult = RouteResult<'engines.create'>;
/** `client.engines.list()` params: `session_id` and `status` filters. */
export type EngineListParams = RouteQuery<'engines.list'>;
/** `client.engines.list()` result: `{engines, total}`, newest first. */
export type EngineListResult = RouteResult<'engines.list'>;
/** `client.engines.get()` result: the engine, its status and its usage. */
export type EngineGetResult = RouteResult<'engines.get'>;
/** `client.engines.execute()` params: `prompt`, and `parameters` over the engine's configuration. */
export type EngineExecuteParams = RouteBody<'engines.execute'>;
/** `client.engines.execute()` result: `{engine_id, engine_type, model, response, usage, duration_ms}`. */
export type EngineExecuteResult = RouteResult<'engines.execute'>;
/** `client.engines.delete()` result: `{engine_id, deleted: true}`. */
export type EngineDeleteResult = RouteResult<'engines.delete'>;

/**
 * `/api/engines`: models behind sessions. `DummyEngine` answers offline (`Processed: <prompt>`); a
 * provider engine calls its provider as the chat doors do, and answers 503 `PROVIDER_NOT_CONFIGURED`
 * when the server has no key for it.
 *
 * @example
 * ```ts
 * const engine = await client.engines.create({ engine_type: 'DummyEngine', session_id: sessionId });
 * const { response } = await client.engines.execute(engine.engine_id, { prompt: 'Hello, world!' });
 * console.log(response); // 'Processed: Hello, world!'
 * ```
 */
export class Engines extends APIResource {
  /** `POST /api/engines`: creates an engine in a session. */
  create(params: EngineCreateParams, options?: RequestCallOptions): APIPromise<EngineCreateResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/engines',
      body: params,
      schema: Engine,
      ...options,
    });
  }

  /** `GET /api/engines`: the caller's engines, of one session or status when given. */
  list(params: EngineListParams = {}, options?: RequestCallOptions): APIPromise<EngineListResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/engines',
      query: { ...params },
      schema: EngineList,
      ...options,
    });
  }

  /** `GET /api/engines/{engine_id}`: one engine. */
  get(engineId: string, options?: RequestCallOptions): APIPromise<EngineGetResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/engines/${engineId}`,
      schema: Engine,
      ...options,
    });
  }

  /** `POST /api/engines/{engine_id}/execute`: runs a prompt on the engine. */
  execute(
    engineId: string,
    params: EngineExecuteParams,
    options?: RequestCallOptions,
  ): APIPromise<EngineExecuteResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/engines/${engineId}/execute`,
      body: params,
      schema: EngineExecution,
      ...options,
    });
  }

  /** `DELETE /api/engines/{engine_id}`: deletes an engine. */
  delete(engineId: string, options?: RequestCallOptions): APIPromise<EngineDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/engines/${engineId}`,
      schema: EngineDeleted,
      ...options,
    });
  }
}
