/** @module The mocks of Project 2501's personas, modules and templates (seed 003), by the engine's rules. */
import type { IdsOf, personaRoutes } from '@cartrita/contracts';
import { chunksOf, HttpError, ownerOf } from '@cartrita/engine';
import { HttpResponse } from 'msw';
import type { RouteImplementation } from '../route-handler.js';

/** The bytes of a multipart form's `file` field, or the server's 422 when there is none. */
const fileBytes = (form: FormData): AsyncIterable<Uint8Array> => {
  const file = form.get('file');
  if (!(file instanceof Blob)) {
    throw new HttpError('VALIDATION_ERROR', 'The form has no file in the field "file".', {
      details: { fields: [{ path: 'file', message: 'Required' }] },
    });
  }
  return chunksOf(file.stream());
};

/** The mocks of the persona, module and template routes, by route id. */
export const personaImplementations: {
  readonly [K in IdsOf<typeof personaRoutes>]: RouteImplementation<K>;
} = {
  'personas.create': async ({ json, store, caller, body }) =>
    json(await store.engine.personas.create(body, ownerOf(caller.auth))),
  'personas.list': async ({ json, store, caller, query }) =>
    json(await store.engine.personas.list(query, ownerOf(caller.auth))),
  'personas.get': async ({ json, store, caller, params }) =>
    json(await store.engine.personas.get(params.persona_id, ownerOf(caller.auth))),
  'personas.update': async ({ json, store, caller, params, body }) =>
    json(await store.engine.personas.update(params.persona_id, body, ownerOf(caller.auth))),
  'personas.delete': async ({ json, store, caller, params }) =>
    json(await store.engine.personas.delete(params.persona_id, ownerOf(caller.auth))),
  'personas.upload_image': async ({ json, store, caller, body }) => {
    ownerOf(caller.auth);
    return json(await store.engine.personaImages.upload(fileBytes(body)));
  },
  'personas.image': async ({ store, params, requestId }) => {
    const image = await store.engine.personaImages.get(params.image_name);
    const chunks: Uint8Array[] = [];
    for await (const chunk of image.bytes) chunks.push(chunk);
    return new HttpResponse(new Blob(chunks as BlobPart[]), {
      headers: {
        'Content-Type': image.contentType,
        'Content-Length': String(image.size),
        'Cache-Control': 'public, max-age=31536000, immutable',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'X-Content-Type-Options': 'nosniff',
        'X-Request-Id': requestId,
      },
    });
  },

  'modules.create': async ({ json, store, caller, body }) =>
    json(await store.engine.modules.create(body, ownerOf(caller.auth))),
  'modules.list': async ({ json, store, caller, query }) =>
    json(await store.engine.modules.list(query, ownerOf(caller.auth))),
  'modules.plugin_functions': async ({ json, store }) => json(store.engine.modules.pluginFunctions()),
  'modules.test_script': async ({ json, store, caller, body }) =>
    json(await store.engine.modules.testScript(body, ownerOf(caller.auth))),
  'modules.get': async ({ json, store, caller, params }) =>
    json(await store.engine.modules.get(params.module_id, ownerOf(caller.auth))),
  'modules.update': async ({ json, store, caller, params, body }) =>
    json(await store.engine.modules.update(params.module_id, body, ownerOf(caller.auth))),
  'modules.delete': async ({ json, store, caller, params }) =>
    json(await store.engine.modules.delete(params.module_id, ownerOf(caller.auth))),

  'templates.resolve': async ({ json, store, caller, body }) =>
    json(await store.engine.modules.resolve(body.template, body.variables, ownerOf(caller.auth))),
};
