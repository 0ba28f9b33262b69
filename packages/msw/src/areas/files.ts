/**
 * @module The files area's mocks (seed 004, seed 000's upload): the engine the reference server runs,
 * over memory. Types, limits, the queue, statuses, progress and search are the server's; the text of
 * plain text, Markdown, CSV and JSON is extracted as on the server. PDF, Office, HTML and images have
 * no extractor in the mocks unless one is passed (`createStore({ fileExtractor })`): they are accepted
 * as on the server and then end `failed`, with an error that says no extractor is configured.
 */

import type { fileRoutes, IdsOf } from '@cartrita/contracts';
import type { Caller } from '@cartrita/engine';
import { chunksOf, HttpError, type IncomingFile, userIdOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

const userOf = (caller: Caller): string => {
  const userId = userIdOf(caller.auth);
  if (!userId) throw HttpError.unauthorized('Authentication required: send an API key');
  return userId;
};

/** The file of a multipart form's `file` field, or the server's 422 when there is none. */
const fileOf = (form: FormData): IncomingFile => {
  const file = form.get('file');
  if (!(file instanceof Blob)) {
    throw new HttpError('VALIDATION_ERROR', 'The form has no file in the field "file".', {
      details: { fields: [{ path: 'file', message: 'Required' }] },
    });
  }
  return {
    name: (file as File).name || 'upload',
    mimeType: file.type || 'application/octet-stream',
    bytes: chunksOf(file.stream()),
  };
};

/** The optional `conversation_id` field of `/api/upload`. */
const conversationOf = (form: FormData): { conversationId?: string } => {
  const value = form.get('conversation_id');
  return typeof value === 'string' && value.length > 0 ? { conversationId: value.slice(0, 200) } : {};
};

/** The mocks of the files routes, by route id. */
export const fileImplementations: { readonly [K in IdsOf<typeof fileRoutes>]: RouteImplementation<K> } = {
  'files.upload': async ({ json, store, caller, body }) =>
    json(await store.engine.files.upload(fileOf(body), userOf(caller))),
  'files.upload_api': async ({ json, store, caller, body }) =>
    json(await store.engine.files.upload(fileOf(body), userOf(caller), conversationOf(body))),
  'files.status': async ({ json, store, caller, params }) =>
    json(await store.engine.files.status(params.file_id, userOf(caller))),
  'files.list': async ({ json, store, caller }) => json(await store.engine.files.list(userOf(caller))),
  'files.delete': async ({ json, store, caller, params }) =>
    json(await store.engine.files.delete(params.file_id, userOf(caller))),
};
