import type { Generated, GeneratedAlways } from 'kysely';

/**
 * The two engines the storage layer runs on. The same queries and the same migrations serve both; where
 * their column types differ (auto-increment, bytes) the migrations ask {@link EngineColumns}.
 */
export type Engine = 'sqlite' | 'postgres';

/**
 * Row types of every table, as Kysely sees them. The types are portable across both engines: ids are
 * text, timestamps are ISO-8601 text in UTC with millisecond precision (`2026-11-21T22:30:04.957Z`, which
 * sorts as text), JSON is text, booleans are integers 0/1, and `seq` is an auto-increment counter that
 * orders rows without depending on clocks.
 */
export interface Database {
  threads: ThreadsTable;
  thread_items: ThreadItemsTable;
  attachments: AttachmentsTable;
  feedback: FeedbackTable;
  sessions: SessionsTable;
  idempotency_keys: IdempotencyKeysTable;
  chat_responses: ChatResponsesTable;
  chat_frames: ChatFramesTable;
  /** SQLite only: live replies' frames in arrival order, until filed into `chat_frames`. */
  chat_frame_log: ChatFrameLogTable;
  commands: CommandsTable;
  session_events: SessionEventsTable;
  tools: ToolsTable;
  handlers: HandlersTable;
  engines: EnginesTable;
  log_entries: LogEntriesTable;
  trace_spans: TraceSpansTable;
  files: FilesTable;
  file_chunks: FileChunksTable;
  memories: MemoriesTable;
  config_sections: ConfigSectionsTable;
  personas: PersonasTable;
  persona_modules: PersonaModulesTable;
  computer_use_runs: ComputerUseRunsTable;
}

/** A ChatKit thread. `seq` orders threads by creation. */
export interface ThreadsTable {
  seq: GeneratedAlways<number>;
  id: string;
  user_id: string;
  title: string | null;
  /** JSON: `{type: 'active'|'locked'|'closed', reason?}`. */
  status: string;
  /** JSON object. */
  metadata: string;
  created_at: string;
  updated_at: string;
}

/** One item of a thread, stored as the full JSON sent on the wire. `seq` orders items within a thread. */
export interface ThreadItemsTable {
  seq: GeneratedAlways<number>;
  id: string;
  thread_id: string;
  /** The ChatKit item type (`user_message`, `assistant_message`, ...). */
  type: string;
  created_at: string;
  /** 1 for server-only items that are never sent to a client. */
  hidden: number;
  /** JSON: the whole item. */
  data: string;
}

/** An uploaded (or announced) file. */
export interface AttachmentsTable {
  id: string;
  user_id: string;
  thread_id: string | null;
  name: string;
  mime_type: string;
  size: number;
  kind: 'file' | 'image';
  status: 'pending' | 'uploaded';
  blob_key: string | null;
  created_at: string;
}

/** One vote per item and user. */
export interface FeedbackTable {
  thread_id: string;
  item_id: string;
  user_id: string;
  kind: 'positive' | 'negative';
  created_at: string;
}

/** A ChatKit session minted by `POST /api/chatkit/session`. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  /** `null` for a session that does not expire (made by `POST /api/sessions`). */
  expires_at: string | null;
  revoked: number;
  name: string | null;
  /** JSON object; `{}` unless given. */
  metadata: Generated<string>;
}

/** A remembered response for an `Idempotency-Key`, keyed by who called and the key. */
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  method: string;
  path: string;
  body_hash: string;
  state: 'in_progress' | 'completed';
  status_code: number | null;
  /** JSON object of header name to value. */
  response_headers: string | null;
  response_body: Uint8Array | null;
  created_at: string;
}

/**
 * One streamed reply of the resumable chat doors: who asked, where its message lives, and whether it
 * finished. `running` rows found at start-up belong to a process that died mid-reply.
 */
export interface ChatResponsesTable {
  id: string;
  user_id: string;
  thread_id: string;
  message_id: string;
  status: 'running' | 'complete' | 'cancelled' | 'failed' | 'incomplete';
  created_at: string;
  updated_at: string;
}

/** One frame of a reply's stream, in order: the durable log a resumed connection replays. */
export interface ChatFramesTable {
  response_id: string;
  seq: number;
  /** The frame's JSON. */
  data: string;
}

export interface ChatFrameLogTable {
  /** Rises with every row, for the life of the database (`autoincrement`). */
  id: Generated<number>;
  response_id: string;
  seq: number;
  data: string;
}

/** A command of a session's queue. `seq` orders commands of one priority. */
export interface CommandsTable {
  seq: GeneratedAlways<number>;
  id: string;
  session_id: string;
  command_type: string;
  /** JSON object. */
  parameters: string;
  /** JSON object, with `priority` and `timeout` filled in. */
  metadata: string;
  /** 0 high, 1 normal, 2 low. */
  priority: number;
  status: 'queued' | 'executing' | 'completed' | 'failed' | 'timeout' | 'cancelled';
  /** JSON of the result, when completed. */
  result: string | null;
  /** JSON `{code, message}`, when it did not complete. */
  error: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  runner: string | null;
  lease_expires_at: string | null;
}

/** An event of a session. `seq` orders every event by when it was stored. */
export interface SessionEventsTable {
  seq: GeneratedAlways<number>;
  id: string;
  session_id: string;
  event_type: string;
  /** JSON object. */
  data: string;
  /** JSON object. */
  metadata: string;
  timestamp: string;
}

/** A tool registered in a session. */
export interface ToolsTable {
  session_id: string;
  name: string;
  description: string;
  /** JSON object: the parameters as registered. */
  parameters: string;
  function_code: string;
  created_at: string;
}

/** A command or event handler registered in a session. */
export interface HandlersTable {
  session_id: string;
  kind: 'command' | 'event';
  type: string;
  code: string;
  created_at: string;
}

/** An engine of a session. `seq` orders a user's engines by creation. */
export interface EnginesTable {
  seq: GeneratedAlways<number>;
  id: string;
  session_id: string;
  user_id: string;
  engine_type: string;
  model_name: string | null;
  status: 'initialized' | 'active' | 'executing' | 'error';
  /** JSON object. */
  configuration: string;
  executions: number;
  input_tokens: number;
  output_tokens: number;
  created_at: string;
  last_used_at: string | null;
}

/** A stored log entry. `seq` orders entries of the same millisecond by arrival. */
export interface LogEntriesTable {
  seq: GeneratedAlways<number>;
  log_id: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  /** JSON object. */
  metadata: string;
  session_id: string | null;
  trace_id: string | null;
  timestamp: string;
}

/**
 * A finished span, with the facts the metrics count (`spanFacts` of the engine) beside its JSON
 * attributes.
 */
export interface TraceSpansTable {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string | null;
  session_id: string | null;
  outcome: string | null;
  start_time: string;
  end_time: string;
  duration_ms: number;
  /** `bigint`: PostgreSQL answers it as text, hence the string. */
  input_tokens: number | string;
  output_tokens: number | string;
  sandbox_ms: number;
  /** JSON object. */
  attributes: string;
  status_code: 'unset' | 'ok' | 'error';
  status_message: string | null;
}

/** An uploaded file and its processing. `seq` orders files by upload. */
export interface FilesTable {
  seq: GeneratedAlways<number>;
  id: string;
  user_id: string;
  filename: string;
  content_type: string;
  size: number;
  blob_key: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  progress: number;
  chunks_created: number;
  error: string | null;
  conversation_id: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A chunk of a file's text. SQLite indexes it in the FTS5 table `file_chunks_fts`; PostgreSQL in its
 * generated `tsv` column (left out here: it is never written or read as a value).
 */
export interface FileChunksTable {
  seq: GeneratedAlways<number>;
  file_id: string;
  user_id: string;
  chunk_index: number;
  text: string;
}
/** A memory of seed 004. `seq` orders a user's memories newest first. */
export interface MemoriesTable {
  seq: GeneratedAlways<number>;
  id: string;
  user_id: string;
  /** The conversation of a `conversation` memory. */
  session_id: string | null;
  type: 'profile' | 'fact' | 'conversation';
  content: string;
  /** JSON object. */
  metadata: string;
  timestamp: string;
}

/** A configuration section changed at run time: the fields set, over the file and defaults. */
export interface ConfigSectionsTable {
  config_type: string;
  /** JSON object. */
  overrides: string;
  updated_at: string;
}

/** A persona (seed 003). `seq` orders a user's personas by creation. */
export interface PersonasTable {
  seq: GeneratedAlways<number>;
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  template: string;
  mode: 'reactive' | 'autonomous';
  first_message: string | null;
  image_path: string | null;
  is_active: number;
  created_at: string;
  updated_at: string;
}

/** A module (seed 003); its name is unique per user. `seq` orders a user's modules by creation. */
export interface PersonaModulesTable {
  seq: GeneratedAlways<number>;
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  type: 'simple' | 'advanced';
  content: string;
  script: string | null;
  trigger_pattern: string | null;
  execution_stage: string | null;
  /** JSON array of plugin function names. */
  plugin_functions: string;
  is_active: number;
  created_at: string;
  updated_at: string;
}

/** A computer-use run (seed 000), replaced whole at each step. */
export interface ComputerUseRunsTable {
  id: string;
  user_id: string;
  status: string;
  task: string;
  /** JSON: `{type, display_width, display_height}`. */
  environment: string;
  model: string;
  /** JSON: the call the run waits for, or null. */
  pending_call: string | null;
  output: string;
  /** JSON: `{code, message}`, or null. */
  error: string | null;
  steps_taken: number;
  max_steps: number;
  expires_at: string;
  created_at: string;
  updated_at: string;
  last_response_id: string | null;
  /** JSON: the recorded steps, oldest first. */
  steps: string;
}
