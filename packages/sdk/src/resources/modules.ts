/**
 * @module @cartrita/sdk/modules: Project 2501's modules (seed 003): pieces of prompt a template pulls
 * in with `@module_name`, and the JavaScript scripts that fill advanced ones.
 */

import { Module, ModuleDeleted, ModuleList, PluginFunctionList, ScriptTestResult } from '@cartrita/contracts';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteQuery, RouteResult } from '../core/route-types.js';

/**
 * `client.modules.create()` params: `name` (as `@name` refers to it), `type` (`simple` or
 * `advanced`), `content`, `script` (JavaScript, for an advanced module), `description`,
 * `trigger_pattern`, `execution_stage`, `is_active`.
 */
export type ModuleCreateParams = RouteBody<'modules.create'>;
/** `client.modules.create()`, `.get()` and `.update()` result: the module. */
export type ModuleResult = RouteResult<'modules.get'>;
/** `client.modules.list()` params: `type` and `active` filters. */
export type ModuleListParams = RouteQuery<'modules.list'>;
/** `client.modules.list()` result: `{modules, total}`, oldest first. */
export type ModuleListResult = RouteResult<'modules.list'>;
/** `client.modules.update()` params: the fields to change. */
export type ModuleUpdateParams = RouteBody<'modules.update'>;
/** `client.modules.delete()` result: `{id, deleted: true}`. */
export type ModuleDeleteResult = RouteResult<'modules.delete'>;
/** `client.modules.pluginFunctions()` result: `{functions: [{name, signature, description}], total}`. */
export type ModulePluginFunctionsResult = RouteResult<'modules.plugin_functions'>;
/** `client.modules.testScript()` params: `script`, and the `variables` it sees. */
export type ModuleTestScriptParams = RouteBody<'modules.test_script'>;
/** `client.modules.testScript()` result: `{success, outputs, logs, error}`. */
export type ModuleTestScriptResult = RouteResult<'modules.test_script'>;

/**
 * `/api/modules`: the caller's modules.
 *
 * @example
 * ```ts
 * const { outputs } = await client.modules.testScript({ script: 'ctx.set_output("greeting", "Hello!")' });
 * console.log(outputs.greeting); // 'Hello!'
 * ```
 */
export class Modules extends APIResource {
  /** `POST /api/modules`: creates a module; 409 when the name is taken. */
  create(params: ModuleCreateParams, options?: RequestCallOptions): Promise<ModuleResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/modules',
      body: params,
      schema: Module,
      ...options,
    });
  }

  /** `GET /api/modules`: the caller's modules, of one type and activity when asked. */
  list(params: ModuleListParams = {}, options?: RequestCallOptions): Promise<ModuleListResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/modules',
      query: { ...params },
      schema: ModuleList,
      ...options,
    });
  }

  /** `GET /api/modules/plugin-functions`: the functions a script may call, with their signatures. */
  pluginFunctions(options?: RequestCallOptions): Promise<ModulePluginFunctionsResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/modules/plugin-functions',
      schema: PluginFunctionList,
      ...options,
    });
  }

  /** `POST /api/modules/test-script`: runs a script in the sandbox and answers what it did. */
  testScript(params: ModuleTestScriptParams, options?: RequestCallOptions): Promise<ModuleTestScriptResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/modules/test-script',
      body: params,
      schema: ScriptTestResult,
      ...options,
    });
  }

  /** `GET /api/modules/{module_id}`: one module. */
  get(moduleId: string, options?: RequestCallOptions): Promise<ModuleResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/modules/${moduleId}`,
      schema: Module,
      ...options,
    });
  }

  /** `PUT /api/modules/{module_id}`: changes the fields given. */
  update(moduleId: string, params: ModuleUpdateParams, options?: RequestCallOptions): Promise<ModuleResult> {
    return this.transport.request({
      method: 'PUT',
      path: path`/api/modules/${moduleId}`,
      body: params,
      schema: Module,
      ...options,
    });
  }

  /** `DELETE /api/modules/{module_id}`: deletes a module. */
  delete(moduleId: string, options?: RequestCallOptions): Promise<ModuleDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/modules/${moduleId}`,
      schema: ModuleDeleted,
      ...options,
    });
  }
}
