/** @module The voice route (seed 000): recorded speech to text. */
import type { IdsOf, voiceRoutes } from '@cartrita/contracts';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { RouteHandlers } from '../../routes/types.js';
import { receiveForm } from '../files/receive-form.js';

/** Voice: the form's `audio`, read whole within the voice size limit, to the engine's voice rules. */
export const voiceHandlers: RouteHandlers<IdsOf<typeof voiceRoutes>> = {
  'voice.process': async ({ app, req, signal }) => {
    if (!userIdOf(req.auth)) throw HttpError.unauthorized('Authentication required: send an API key');
    const { file, fields } = await receiveForm(req, 'audio', app.engine.voice.maxBytes);
    return app.engine.voice.process({ audio: file.bytes, fields, signal });
  },
};
