/** @module The chat area's repository: streamed replies and the frame log a resumed stream replays. */

/** The state of a streamed reply. */
export type ChatResponseStatus = 'running' | 'complete' | 'cancelled' | 'failed' | 'incomplete';

/** A streamed reply of the resumable doors. */
export interface StoredChatResponse {
  id: string;
  user_id: string;
  thread_id: string;
  message_id: string;
  status: ChatResponseStatus;
  created_at: string;
  updated_at: string;
}

/** One frame of a reply, as written to the stream. */
export interface StoredFrame {
  seq: number;
  data: string;
}

/** Streamed replies and their frames: the log a resumed connection replays. */
export interface ResponseStore {
  create(params: { id: string; user_id: string; thread_id: string; message_id: string }): Promise<void>;
  /** The reply, or `undefined` when absent or another user's. */
  get(id: string, userId: string): Promise<StoredChatResponse | undefined>;
  /** Appends frames in one transaction (they must continue the sequence). */
  appendFrames(id: string, frames: readonly StoredFrame[]): Promise<void>;
  /** Frames with `seq` above `afterSeq`, in order. */
  frames(id: string, afterSeq: number): Promise<StoredFrame[]>;
  setStatus(id: string, status: ChatResponseStatus): Promise<void>;
  /**
   * The reply ended: its final status, and every frame of its log in order. A store that keeps the
   * frames of live replies apart (SQLite appends them unindexed, see `chat_frame_log`) files them by
   * reply now; the others have them already and only record the status.
   */
  finish(id: string, status: ChatResponseStatus, frames: readonly StoredFrame[]): Promise<void>;
  /** Replies still marked running: at start-up, those of a process that died. */
  listRunning(): Promise<StoredChatResponse[]>;
}

/** Every repository of the chat area. */
export interface ChatRepositories {
  readonly responses: ResponseStore;
}
