/** @module @cartrita/sdk/tools: a session's tools (seed 001): JavaScript functions called with checked arguments. */

import { Tool, ToolDeleted, ToolExecution, ToolList } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/**
 * `client.tools.register()` params: `name`, `description`, `parameters` (JSON Schema: the properties
 * alone as the seed writes them, each then required, or a whole object schema) and `function_code`,
 * one JavaScript function that takes the arguments object.
 */
export type ToolRegisterParams = RouteBody<'sessions.tools.create'>;
/** `client.tools.register()` result: the tool, without its code. */
export type ToolRegisterResult = RouteResult<'sessions.tools.create'>;
/** `client.tools.list()` result: `{tools, total}`, by name. */
export type ToolListResult = RouteResult<'sessions.tools.list'>;
/** `client.tools.execute()` params: `{arguments}`, checked against the tool's `parameters`. */
export type ToolExecuteParams = RouteBody<'sessions.tools.execute'>;
/**
 * `client.tools.execute()` result: `{tool_name, result, error, duration_ms}`; `error` (`{kind,
 * message}`: `runtime`, `timeout`, `memory`, ...) is not `null` when the tool's code failed.
 */
export type ToolExecuteResult = RouteResult<'sessions.tools.execute'>;
/** `client.tools.unregister()` result: `{tool_name, deleted: true}`. */
export type ToolUnregisterResult = RouteResult<'sessions.tools.delete'>;

/**
 * `/api/sessions/{session_id}/tools`: JavaScript functions a session registers and calls. The code
 * runs in the server's sandbox, with limits on time and memory; a call whose code fails still
 * answers 200, with `error` set and `result: null`.
 *
 * @example
 * ```ts
 * await client.tools.register(sessionId, {
 *   name: 'get_weather',
 *   description: 'Get weather information for a location',
 *   parameters: { location: { type: 'string', description: 'City name' } },
 *   function_code: 'async function get_weather({ location }) { return { location, forecast: "sunny" }; }',
 * });
 * const { result, error } = await client.tools.execute(sessionId, 'get_weather', { arguments: { location: 'Melbourne' } });
 * ```
 */
export class Tools extends APIResource {
  /** `POST /api/sessions/{session_id}/tools`: registers a tool (409 when the name is taken). */
  register(
    sessionId: string,
    params: ToolRegisterParams,
    options?: RequestCallOptions,
  ): APIPromise<ToolRegisterResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/tools`,
      body: params,
      schema: Tool,
      ...options,
    });
  }

  /** `GET /api/sessions/{session_id}/tools`: the session's tools. */
  list(sessionId: string, options?: RequestCallOptions): APIPromise<ToolListResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/sessions/${sessionId}/tools`,
      schema: ToolList,
      ...options,
    });
  }

  /**
   * `POST /api/sessions/{session_id}/tools/{tool_name}/execute`: calls a tool. Arguments that do not
   * match its `parameters` are a 422 naming every failing field.
   */
  execute(
    sessionId: string,
    toolName: string,
    params: ToolExecuteParams = {},
    options?: RequestCallOptions,
  ): APIPromise<ToolExecuteResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/tools/${toolName}/execute`,
      body: params,
      schema: ToolExecution,
      ...options,
    });
  }

  /** `DELETE /api/sessions/{session_id}/tools/{tool_name}`: unregisters a tool. */
  unregister(
    sessionId: string,
    toolName: string,
    options?: RequestCallOptions,
  ): APIPromise<ToolUnregisterResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/sessions/${sessionId}/tools/${toolName}`,
      schema: ToolDeleted,
      ...options,
    });
  }
}
