import * as z from 'zod/mini';

/** A datetime as ChatKit sends it: ISO 8601, with or without a zone (Cartrita always sends UTC `Z`). */
export const DateTime = z.iso.datetime({ offset: true, local: true });

/**
 * An icon name: one of ChatKit's fixed names (`search`, `book-open`, ...) or `lucide:<name>` /
 * `vendor:<name>`. Kept open so a newer icon never fails validation.
 */
export const IconName = z.string();

const SourceBase = {
  title: z.string(),
  description: z.optional(z.string()),
  timestamp: z.optional(z.string()),
  group: z.optional(z.string()),
};

/** A citation target: a URL, a file or an entity. */
export const Source = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url'), url: z.string(), attribution: z.optional(z.string()), ...SourceBase }),
  z.object({ type: z.literal('file'), filename: z.string(), ...SourceBase }),
  z.object({
    type: z.literal('entity'),
    id: z.string(),
    icon: z.optional(IconName),
    label: z.optional(z.string()),
    inline_label: z.optional(z.string()),
    interactive: z._default(z.boolean(), false),
    data: z._default(z.record(z.string(), z.unknown()), {}),
    ...SourceBase,
  }),
]);
export type Source = z.infer<typeof Source>;

/** An inline citation on assistant text; `index` is a character offset. */
export const Annotation = z.object({
  type: z.literal('annotation'),
  source: Source,
  index: z.optional(z.int()),
});
export type Annotation = z.infer<typeof Annotation>;

/** A page of records with ChatKit's cursor: `after` is the id of the last returned row. */
export const page = <T extends z.ZodMiniType>(item: T) =>
  z.object({ data: z.array(item), has_more: z.boolean(), after: z.optional(z.string()) });

/** The shape of {@link page}'s result. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  after?: string;
}
