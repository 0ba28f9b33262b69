/**
 * @module @cartrita/sdk/studio-config: `/config/` of seed 004: the agent studio's configuration
 * sections (`orchestrator`, `planner`, `agent_generator`, `context`, `memory`).
 */

import {
  ConfigReloaded,
  ConfigSectionResponse,
  ConfigSections,
  type ConfigType,
  ConfigValidation,
} from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/** `client.studioConfig.list()` result: every section in effect. */
export type StudioConfigListResult = RouteResult<'config.list'>;
/** `client.studioConfig.get()` result: `{config_type, config}`. */
export type StudioConfigGetResult = RouteResult<'config.get'>;
/** `client.studioConfig.update()` params: `updates`, the fields to change (and `config_type`, optional). */
export type StudioConfigUpdateParams = RouteBody<'config.update'>;
/** `client.studioConfig.update()` result: the section after the change. */
export type StudioConfigUpdateResult = RouteResult<'config.update'>;
/** `client.studioConfig.reload()` result: every section in effect after the reload. */
export type StudioConfigReloadResult = RouteResult<'config.reload'>;
/** `client.studioConfig.validate()` result: `{valid, errors: [{path, message}]}`. */
export type StudioConfigValidateResult = RouteResult<'config.validate'>;

/**
 * `/config/`: the configuration sections the server's chat, memory and files pipeline run by. Reading
 * needs an API key with the `observability` scope; changing and reloading, the `admin` scope.
 *
 * @example
 * ```ts
 * const { config } = await client.studioConfig.get('memory');
 * await client.studioConfig.update('memory', { updates: { max_memories_per_prompt: 3 } });
 * ```
 */
export class StudioConfig extends APIResource {
  /** `GET /config/`: every section in effect. */
  list(options?: RequestCallOptions): APIPromise<StudioConfigListResult> {
    return this.transport.request({ method: 'GET', path: '/config/', schema: ConfigSections, ...options });
  }

  /** `GET /config/{config_type}`: one section in effect. */
  get(configType: ConfigType, options?: RequestCallOptions): APIPromise<StudioConfigGetResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/config/${configType}`,
      schema: ConfigSectionResponse,
      ...options,
    });
  }

  /** `PUT /config/{config_type}`: changes fields of a section, validated on the whole section (422 otherwise). */
  update(
    configType: ConfigType,
    params: StudioConfigUpdateParams,
    options?: RequestCallOptions,
  ): APIPromise<StudioConfigUpdateResult> {
    return this.transport.request({
      method: 'PUT',
      path: path`/config/${configType}`,
      body: params,
      schema: ConfigSectionResponse,
      ...options,
    });
  }

  /** `POST /config/reload`: reads the configuration file and the stored sections again. */
  reload(options?: RequestCallOptions): APIPromise<StudioConfigReloadResult> {
    return this.transport.request({
      method: 'POST',
      path: '/config/reload',
      schema: ConfigReloaded,
      ...options,
    });
  }

  /** `GET /config/validate/{config_type}`: whether a section as configured is valid. */
  validate(configType: ConfigType, options?: RequestCallOptions): APIPromise<StudioConfigValidateResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/config/validate/${configType}`,
      schema: ConfigValidation,
      ...options,
    });
  }
}
