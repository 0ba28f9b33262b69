/** @module Templates (seed 003): resolving `@module_name` and `${variable}` in a persona's template. */
import * as z from 'zod/mini';
import { JsonObject } from '../../query.js';

/** `POST /api/templates/resolve`. */
export const TemplateResolveRequest = z.object({
  template: /*#__PURE__*/ z.string().check(z.maxLength(100_000)),
  variables: z._default(JsonObject, {}),
});
export type TemplateResolveRequest = z.infer<typeof TemplateResolveRequest>;

/** The resolved text, and the names of the modules it pulled in, in the order first met. */
export const TemplateResolution = z.object({
  resolved: z.string(),
  modules_used: z.array(z.string()),
});
export type TemplateResolution = z.infer<typeof TemplateResolution>;
