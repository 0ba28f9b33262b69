/** @module Project 2501's personas, modules and templates (seed 003): thin handlers over the engine. */
import { Readable } from 'node:stream';
import type { IdsOf, personaRoutes } from '@cartrita/contracts';
import { type AuthContext, ownerOf } from '@cartrita/engine';
import type { Request } from 'express';
import { receiveFile } from '../../http/multipart.js';
import type { RouteHandlers } from '../../routes/types.js';

const owner = (req: Request) => ownerOf(req.auth as AuthContext);

/** Personas and their images, modules and their scripts, and template resolution. */
export const personaHandlers: RouteHandlers<IdsOf<typeof personaRoutes>> = {
  'personas.create': ({ app, req, body }) => app.engine.personas.create(body, owner(req)),
  'personas.list': ({ app, req, query }) => app.engine.personas.list(query, owner(req)),
  'personas.get': ({ app, req, params }) => app.engine.personas.get(params.persona_id, owner(req)),
  'personas.update': ({ app, req, params, body }) =>
    app.engine.personas.update(params.persona_id, body, owner(req)),
  'personas.delete': ({ app, req, params }) => app.engine.personas.delete(params.persona_id, owner(req)),
  'personas.upload_image': ({ app, req }) => {
    owner(req);
    return receiveFile(req, 'file', (file) => app.engine.personaImages.upload(file.bytes));
  },
  'personas.image': async ({ app, params, res }) => {
    const image = await app.engine.personaImages.get(params.image_name);
    res.status(200).set({
      'Content-Type': image.contentType,
      'Content-Length': String(image.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    });
    Readable.from(image.bytes).pipe(res);
    await new Promise((resolve) => res.on('close', resolve));
    return undefined;
  },

  'modules.create': ({ app, req, body }) => app.engine.modules.create(body, owner(req)),
  'modules.list': ({ app, req, query }) => app.engine.modules.list(query, owner(req)),
  'modules.plugin_functions': async ({ app }) => app.engine.modules.pluginFunctions(),
  'modules.test_script': ({ app, req, body }) => app.engine.modules.testScript(body, owner(req)),
  'modules.get': ({ app, req, params }) => app.engine.modules.get(params.module_id, owner(req)),
  'modules.update': ({ app, req, params, body }) =>
    app.engine.modules.update(params.module_id, body, owner(req)),
  'modules.delete': ({ app, req, params }) => app.engine.modules.delete(params.module_id, owner(req)),

  'templates.resolve': ({ app, req, body }) =>
    app.engine.modules.resolve(body.template, body.variables, owner(req)),
};
