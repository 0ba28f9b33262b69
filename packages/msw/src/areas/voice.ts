/**
 * @module The mock of the voice route (seed 000), by the engine's rules: the audio's type from its
 * bytes, then the store's voice providers (none by default, so a 503 as on a server without keys).
 */
import type { IdsOf, voiceRoutes } from '@cartrita/contracts';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

/** The form's `audio` bytes (`undefined` without one) and its text fields. */
const audioForm = async (form: FormData) => {
  const audio = form.get('audio');
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === 'string' && !(name in fields)) fields[name] = value;
  return { audio: audio instanceof Blob ? new Uint8Array(await audio.arrayBuffer()) : undefined, fields };
};

/** The mock of `POST /api/voice/process`. */
export const voiceImplementations: { readonly [K in IdsOf<typeof voiceRoutes>]: RouteImplementation<K> } = {
  'voice.process': async ({ json, store, caller, body, signal }) => {
    if (!userIdOf(caller.auth)) throw HttpError.unauthorized('Authentication required: send an API key');
    const { audio, fields } = await audioForm(body);
    return json(await store.engine.voice.process({ audio, fields, signal }));
  },
};
