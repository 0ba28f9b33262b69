/** @module The repository ports of the files area: the files, and the search index of their text. */
import type { FileStatus } from '@cartrita/contracts';

/** A stored file: what was uploaded and where its processing is. */
export interface StoredFile {
  id: string;
  /** The user who uploaded it: the only one who reaches it. */
  user_id: string;
  filename: string;
  /** The type found in the bytes. */
  content_type: string;
  size: number;
  /** Where the bytes are in the blob store. */
  blob_key: string;
  status: FileStatus;
  progress: number;
  chunks_created: number;
  error: string | null;
  conversation_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A change of a file's processing. */
export interface FileUpdate {
  status: FileStatus;
  progress: number;
  chunks_created?: number;
  error?: string | null;
  updated_at: string;
}

/** Files, each of one user. */
export interface FileStore {
  create(file: StoredFile): Promise<StoredFile>;
  get(id: string): Promise<StoredFile | undefined>;
  /** A user's files, newest first. */
  list(userId: string): Promise<StoredFile[]>;
  /**
   * Applies an update unless it would move `progress` back (the stored progress is kept then);
   * resolves the file after, or `undefined` when it is gone.
   */
  update(id: string, update: FileUpdate): Promise<StoredFile | undefined>;
  delete(id: string): Promise<boolean>;
  /** Every file still `pending` or `processing`, oldest first: the queue's work after a restart. */
  unfinished(): Promise<StoredFile[]>;
}

/** A piece of a file's text, as it is indexed. */
export interface ChunkRecord {
  file_id: string;
  user_id: string;
  /** The chunk's place in its file, from 0. */
  index: number;
  text: string;
}

/** A chunk that matched a search, with its score: higher is better. */
export interface ChunkHit {
  file_id: string;
  index: number;
  text: string;
  score: number;
}

/** What {@link ChunkIndex.search} looks for. */
export interface ChunkQuery {
  user_id: string;
  query: string;
  /** Only these files, when given. */
  file_ids?: readonly string[];
  /** At most this many hits; default 10. */
  limit?: number;
}

/**
 * The search port: chunks indexed by file, found by a text query with a relevance score. In memory a
 * term-frequency score; over SQL SQLite's FTS5 `bm25()` or PostgreSQL's `ts_rank` on a `tsvector`.
 */
export interface ChunkIndex {
  /** Replaces every chunk of a file with these. */
  replace(fileId: string, chunks: readonly ChunkRecord[]): Promise<void>;
  /** The best matches first. A query with no word to look for finds nothing. */
  search(query: ChunkQuery): Promise<ChunkHit[]>;
  /** Forgets every chunk of a file; resolves how many there were. */
  deleteFile(fileId: string): Promise<number>;
}

/** Every repository of the files area. */
export interface FileAreaRepositories {
  readonly files: FileStore;
  readonly chunks: ChunkIndex;
}
