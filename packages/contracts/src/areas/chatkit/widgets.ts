import * as z from 'zod/mini';

/**
 * A widget component (`Text`, `Button`, `Row`, ...). Widgets are validated leniently, as the
 * official server does: the `type` must be a string and every other key passes through.
 */
export const WidgetComponent = z.looseObject({ type: z.string(), id: z.optional(z.string()) });
export type WidgetComponent = z.infer<typeof WidgetComponent>;

/** The root of a widget tree: `Card`, `ListView` or `Basic`. */
export const WidgetRoot = z.looseObject({
  type: z.string(),
  id: z.optional(z.string()),
  children: z.optional(z.array(z.unknown())),
});
export type WidgetRoot = z.infer<typeof WidgetRoot>;

/** What a widget button or form does when used: `{type, payload}` plus client hints. */
export const Action = z.looseObject({
  type: z.string(),
  payload: z.optional(z.unknown()),
  handler: z.optional(z.enum(['server', 'client'])),
  loadingBehavior: z.optional(z.enum(['auto', 'none', 'self', 'container'])),
  streaming: z.optional(z.boolean()),
});
export type Action = z.infer<typeof Action>;
