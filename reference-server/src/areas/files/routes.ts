/** @module The files routes (seed 004, and seed 000's `POST /api/upload`). */
import type { fileRoutes, IdsOf } from '@cartrita/contracts';
import { HttpError, type IncomingFile, userIdOf } from '@cartrita/engine';
import type { Request } from 'express';
import type { AppContext } from '../../app-context.js';
import type { RouteHandlers } from '../../routes/types.js';
import { receiveForm } from './receive-form.js';

const userOf = (req: Request): string => {
  const userId = userIdOf(req.auth);
  if (!userId) throw HttpError.unauthorized('Authentication required: send an API key');
  return userId;
};

/** Reads the form and hands its file to the engine, with `conversation_id` when the door keeps it. */
const upload = async (req: Request, app: AppContext, keepConversation: boolean) => {
  const userId = userOf(req);
  const { file, fields } = await receiveForm(req, 'file', app.config.uploads.maxBytes);
  const incoming: IncomingFile = {
    name: file.name,
    mimeType: file.mimeType,
    bytes: (async function* () {
      yield file.bytes;
    })(),
  };
  const conversationId = keepConversation ? fields.conversation_id : undefined;
  return app.engine.files.upload(incoming, userId, conversationId ? { conversationId } : {});
};

/** Files: upload, status, list, delete. */
export const fileHandlers: RouteHandlers<IdsOf<typeof fileRoutes>> = {
  'files.upload': ({ app, req }) => upload(req, app, false),
  'files.upload_api': ({ app, req }) => upload(req, app, true),
  'files.status': ({ app, req, params }) => app.engine.files.status(params.file_id, userOf(req)),
  'files.list': ({ app, req }) => app.engine.files.list(userOf(req)),
  'files.delete': ({ app, req, params }) => app.engine.files.delete(params.file_id, userOf(req)),
};
