/** @module Personas (seed 003): a named system prompt (its template), a mode, a first message and an image. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';

/** How a persona talks: `reactive` answers when spoken to; `autonomous` may speak first. */
export const PersonaMode = z.enum(['reactive', 'autonomous']);
export type PersonaMode = z.infer<typeof PersonaMode>;

/** `true` or `false` in a query string (`?active=true`), or a boolean from the SDK. */
export const QueryBoolean = /*#__PURE__*/ z.pipe(
  z.union([z.boolean(), z.enum(['true', 'false'])]),
  z.transform((value) => value === true || value === 'true'),
);

const name = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200));
const description = /*#__PURE__*/ z.string().check(z.maxLength(2000));
const template = /*#__PURE__*/ z.string().check(z.maxLength(100_000));
const firstMessage = /*#__PURE__*/ z.string().check(z.maxLength(10_000));

/**
 * The path `POST /api/personas/upload-image` answered (`/api/personas/images/<uuid>.png`), which
 * `GET` serves; a persona refers to its image by it.
 */
export const ImagePath = /*#__PURE__*/ z
  .string()
  .check(
    z.regex(
      /^\/api\/personas\/images\/[0-9a-f-]{36}\.(png|jpg|webp|gif)$/,
      'Expected an image path answered by POST /api/personas/upload-image',
    ),
  );

/** `POST /api/personas`. `template` is the system prompt; it may use `@module_name` and `${variable}`. */
export const PersonaCreateRequest = z.object({
  name,
  description: z.optional(z.nullable(description)),
  template,
  mode: z._default(PersonaMode, 'reactive'),
  first_message: z.optional(z.nullable(firstMessage)),
  image_path: z.optional(z.nullable(ImagePath)),
  is_active: z._default(z.boolean(), true),
});
export type PersonaCreateRequest = z.infer<typeof PersonaCreateRequest>;

/** `PUT /api/personas/{persona_id}`: the fields to change (`null` clears an optional one). */
export const PersonaUpdateRequest = z.object({
  name: z.optional(name),
  description: z.optional(z.nullable(description)),
  template: z.optional(template),
  mode: z.optional(PersonaMode),
  first_message: z.optional(z.nullable(firstMessage)),
  image_path: z.optional(z.nullable(ImagePath)),
  is_active: z.optional(z.boolean()),
});
export type PersonaUpdateRequest = z.infer<typeof PersonaUpdateRequest>;

/** A persona. */
export const Persona = z.object({
  id: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  template: z.string(),
  mode: PersonaMode,
  first_message: z.nullable(z.string()),
  image_path: z.nullable(z.string()),
  is_active: z.boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Persona = z.infer<typeof Persona>;

/** `GET /api/personas`: the caller's personas, oldest first, only active or inactive ones when asked. */
export const PersonaListQuery = z.object({ active: z.optional(QueryBoolean) });
export type PersonaListQuery = z.input<typeof PersonaListQuery>;

/** A list of personas. */
export const PersonaList = z.object({ personas: z.array(Persona), total: z.int() });
export type PersonaList = z.infer<typeof PersonaList>;

/** The path of one persona. */
export const PersonaParams = z.object({ persona_id: z.string() });

/** The answer of `DELETE /api/personas/{persona_id}`. */
export const PersonaDeleted = z.object({ id: z.string(), deleted: z.literal(true) });
export type PersonaDeleted = z.infer<typeof PersonaDeleted>;

/** The answer of `POST /api/personas/upload-image`. */
export const PersonaImage = z.object({ image_path: z.string() });
export type PersonaImage = z.infer<typeof PersonaImage>;

/** The path of one stored image: its UUID name and extension. */
export const PersonaImageParams = z.object({ image_name: z.string() });
