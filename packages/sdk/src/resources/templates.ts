/** @module @cartrita/sdk/templates: resolving a persona's template (seed 003). */

import { TemplateResolution } from '@cartrita/contracts';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/** `client.templates.resolve()` params: `template`, and the `variables` `${name}` takes. */
export type TemplateResolveParams = RouteBody<'templates.resolve'>;
/** `client.templates.resolve()` result: `{resolved, modules_used}`. */
export type TemplateResolveResult = RouteResult<'templates.resolve'>;

/**
 * `/api/templates`: resolves `@module_name` and `${variable}` as a chat turn does.
 *
 * @example
 * ```ts
 * const { resolved } = await client.templates.resolve({ template: 'Hello ${name}', variables: { name: 'Ada' } });
 * ```
 */
export class Templates extends APIResource {
  /** `POST /api/templates/resolve`: the resolved text and the modules it used. */
  resolve(params: TemplateResolveParams, options?: RequestCallOptions): Promise<TemplateResolveResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/templates/resolve',
      body: params,
      schema: TemplateResolution,
      ...options,
    });
  }
}
