/** @module @cartrita/sdk/personas: Project 2501's personas (seed 003): a system prompt with a mode and an image. */

import { Persona, PersonaDeleted, PersonaImage, PersonaList } from '@cartrita/contracts';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteQuery, RouteResult } from '../core/route-types.js';

/**
 * `client.personas.create()` params: `name`, `template` (the system prompt, which may use
 * `@module_name` and `${variable}`), `mode` (`reactive` or `autonomous`), `description`,
 * `first_message`, `image_path` and `is_active` (default `true`).
 */
export type PersonaCreateParams = RouteBody<'personas.create'>;
/** `client.personas.create()`, `.get()` and `.update()` result: the persona. */
export type PersonaResult = RouteResult<'personas.get'>;
/** `client.personas.list()` params: `active` (`true` or `false`) to see only active or inactive ones. */
export type PersonaListParams = RouteQuery<'personas.list'>;
/** `client.personas.list()` result: `{personas, total}`, oldest first. */
export type PersonaListResult = RouteResult<'personas.list'>;
/** `client.personas.update()` params: the fields to change (`null` clears an optional one). */
export type PersonaUpdateParams = RouteBody<'personas.update'>;
/** `client.personas.delete()` result: `{id, deleted: true}`. */
export type PersonaDeleteResult = RouteResult<'personas.delete'>;
/** `client.personas.uploadImage()` result: `{image_path}`, where the image is served. */
export type PersonaUploadImageResult = RouteResult<'personas.upload_image'>;

/**
 * `/api/personas`: the caller's personas.
 *
 * @example
 * ```ts
 * const { image_path } = await client.personas.uploadImage(file);
 * const persona = await client.personas.create({ name: 'Guide', template: 'You are @tone.', image_path });
 * await client.personas.update(persona.id, { is_active: false });
 * ```
 */
export class Personas extends APIResource {
  /** `POST /api/personas`: creates a persona. */
  create(params: PersonaCreateParams, options?: RequestCallOptions): Promise<PersonaResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/personas',
      body: params,
      schema: Persona,
      ...options,
    });
  }

  /** `GET /api/personas`: the caller's personas, only active or inactive ones when asked. */
  list(params: PersonaListParams = {}, options?: RequestCallOptions): Promise<PersonaListResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/personas',
      query: { ...params },
      schema: PersonaList,
      ...options,
    });
  }

  /** `GET /api/personas/{persona_id}`: one persona. */
  get(personaId: string, options?: RequestCallOptions): Promise<PersonaResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/personas/${personaId}`,
      schema: Persona,
      ...options,
    });
  }

  /** `PUT /api/personas/{persona_id}`: changes the fields given. */
  update(
    personaId: string,
    params: PersonaUpdateParams,
    options?: RequestCallOptions,
  ): Promise<PersonaResult> {
    return this.transport.request({
      method: 'PUT',
      path: path`/api/personas/${personaId}`,
      body: params,
      schema: Persona,
      ...options,
    });
  }

  /** `DELETE /api/personas/{persona_id}`: deletes a persona. */
  delete(personaId: string, options?: RequestCallOptions): Promise<PersonaDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/personas/${personaId}`,
      schema: PersonaDeleted,
      ...options,
    });
  }

  /**
   * `POST /api/personas/upload-image`: uploads a PNG, JPEG, WebP or GIF (multipart field `file`); the
   * server removes its metadata and answers where it serves it.
   */
  uploadImage(file: Blob, name?: string, options?: RequestCallOptions): Promise<PersonaUploadImageResult> {
    const body = new FormData();
    body.append('file', file, name ?? (file as File).name ?? 'image');
    return this.transport.request({
      method: 'POST',
      path: '/api/personas/upload-image',
      body,
      schema: PersonaImage,
      ...options,
    });
  }

  /** `GET /api/personas/images/{image_name}`: the bytes at an `image_path`, typed by the image. */
  async image(imagePath: string, options?: RequestCallOptions): Promise<Blob> {
    const name = imagePath.slice(imagePath.lastIndexOf('/') + 1);
    const res = await this.transport.requestRaw({
      method: 'GET',
      path: path`/api/personas/images/${name}`,
      ...options,
    });
    return res.blob();
  }
}
