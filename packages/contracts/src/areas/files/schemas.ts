/** @module Files (seed 004, and seed 000's upload): uploads processed into searchable text. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';

/**
 * Where a file's processing is: `pending` until the queue takes it, `processing` while its text is
 * extracted, chunked and indexed, then `completed` or `failed` (with `error` saying why).
 */
export const FileStatus = z.enum(['pending', 'processing', 'completed', 'failed']);
export type FileStatus = z.infer<typeof FileStatus>;

/** The answer of `POST /files/upload` and `POST /api/upload`. */
export const FileUploadResponse = z.object({
  file_id: z.string(),
  filename: z.string(),
  /** The type found in the bytes, never the declared one. */
  content_type: z.string(),
  size: z.int(),
  status: FileStatus,
  message: z.string(),
});
export type FileUploadResponse = z.infer<typeof FileUploadResponse>;

/** `GET /files/status/{file_id}`: progress only grows, from 0 to 100. */
export const FileProcessingStatus = z.object({
  file_id: z.string(),
  filename: z.string(),
  status: FileStatus,
  progress: /*#__PURE__*/ z.int().check(z.gte(0), z.lte(100)),
  chunks_created: z.int(),
  error: z.nullable(z.string()),
});
export type FileProcessingStatus = z.infer<typeof FileProcessingStatus>;

/** A file of the caller's, as `GET /files/list` shows it. */
export const FileInfo = z.object({
  file_id: z.string(),
  filename: z.string(),
  content_type: z.string(),
  size: z.int(),
  status: FileStatus,
  progress: /*#__PURE__*/ z.int().check(z.gte(0), z.lte(100)),
  chunks_created: z.int(),
  error: z.nullable(z.string()),
  conversation_id: z.nullable(z.string()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type FileInfo = z.infer<typeof FileInfo>;

/** `GET /files/list`: the caller's files, newest first. */
export const FileList = z.object({ files: z.array(FileInfo), total: z.int() });
export type FileList = z.infer<typeof FileList>;

/** The answer of `DELETE /files/{file_id}`. */
export const FileDeleted = z.object({ file_id: z.string(), deleted: z.literal(true) });
export type FileDeleted = z.infer<typeof FileDeleted>;

/** The path of one file. */
export const FileParams = z.object({ file_id: z.string() });
export type FileParams = z.infer<typeof FileParams>;

/**
 * What the event bus carries on topic `files:<user_id>` at every change of a file's processing; a
 * realtime door passes it on as it is.
 */
export const FileProcessingUpdate = z.object({
  type: z.literal('file_processing_update'),
  file_id: z.string(),
  filename: z.string(),
  status: FileStatus,
  progress: /*#__PURE__*/ z.int().check(z.gte(0), z.lte(100)),
  chunks_created: z.int(),
  error: z.nullable(z.string()),
});
export type FileProcessingUpdate = z.infer<typeof FileProcessingUpdate>;

/** A passage of the caller's files that a file-aware chat reply drew on: `chunk` is its text. */
export const FileSource = z.object({
  file_id: z.string(),
  filename: z.string(),
  chunk: z.string(),
  score: z.number(),
});
export type FileSource = z.infer<typeof FileSource>;
