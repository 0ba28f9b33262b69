import { defineRoute } from '../../route.js';
import { FileDeleted, FileList, FileParams, FileProcessingStatus, FileUploadResponse } from './schemas.js';

/** Files belong to a user, like chats and attachments: the `chat` scope reaches the caller's own. */
const chat = { scope: 'chat' } as const;

const uploadDescription =
  'The type is read from the bytes (PDF, docx, xlsx, pptx, odt, ods, odp, HTML, plain text, Markdown, ' +
  'CSV, JSON, PNG, JPEG, WebP); any other is 415, a file over the size limit 413, and nothing is kept of ' +
  'a refused upload. An accepted file answers at once with `status: "pending"`; processing (text ' +
  'extraction, chunking, indexing) runs in a queue that `GET /files/status/{file_id}` follows.';

/** Files (seed 004), and seed 000's upload door. */
export const fileRoutes = [
  defineRoute({
    id: 'files.upload',
    method: 'POST',
    path: '/files/upload',
    tag: 'files',
    summary: 'Upload a file for processing (multipart field `file`)',
    description: uploadDescription,
    auth: chat,
    bodyType: 'multipart',
    files: ['file'],
    response: { json: FileUploadResponse, nulls: true },
    errors: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  defineRoute({
    id: 'files.upload_api',
    method: 'POST',
    path: '/api/upload',
    tag: 'files',
    summary: 'Upload a file (multipart field `file`, optional field `conversation_id`)',
    description: `${uploadDescription} \`conversation_id\`, when sent, is kept with the file.`,
    auth: chat,
    bodyType: 'multipart',
    files: ['file'],
    response: { json: FileUploadResponse, nulls: true },
    errors: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  defineRoute({
    id: 'files.status',
    method: 'GET',
    path: '/files/status/{file_id}',
    tag: 'files',
    summary: 'A file’s processing status and progress',
    auth: chat,
    params: FileParams,
    response: { json: FileProcessingStatus, nulls: true },
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    id: 'files.list',
    method: 'GET',
    path: '/files/list',
    tag: 'files',
    summary: 'The caller’s files, newest first',
    auth: chat,
    response: { json: FileList, nulls: true },
    errors: [],
  }),
  defineRoute({
    id: 'files.delete',
    method: 'DELETE',
    path: '/files/{file_id}',
    tag: 'files',
    summary: 'Delete a file, its bytes and its indexed text',
    auth: chat,
    params: FileParams,
    response: { json: FileDeleted, nulls: true },
    errors: ['NOT_FOUND'],
  }),
] as const;
