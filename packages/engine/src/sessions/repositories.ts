/**
 * @module The repository port of the LLMGine session area: commands, events, tools and handlers of a
 * session. Sessions themselves are the ChatKit session store's rows (one id space). The server
 * implements the port over SQL, the engine in memory.
 */
import type { CommandError, CommandPriority, CommandStatus } from '@cartrita/contracts';

/** A stored command. */
export interface StoredCommand {
  id: string;
  session_id: string;
  command_type: string;
  parameters: Record<string, unknown>;
  /** The metadata sent, with `priority` and `timeout` (seconds) filled in. */
  metadata: Record<string, unknown> & { priority: CommandPriority; timeout: number };
  status: CommandStatus;
  result: unknown;
  error: CommandError | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  /** The process running it, while it runs. */
  runner: string | null;
  /** When a running command is past any timeout it could have, so a sweep may end it. */
  lease_expires_at: string | null;
}

/** What {@link CommandStore.create} stores: a queued command. */
export type NewCommand = Pick<
  StoredCommand,
  'id' | 'session_id' | 'command_type' | 'parameters' | 'metadata' | 'created_at'
>;

/** How a command's outcome is written: only while it is in one of `from`. */
export interface CommandTransition {
  status: CommandStatus;
  result?: unknown;
  error?: CommandError | null;
  completed_at?: string | null;
}

/** Commands by status. */
export type CommandCounts = Record<CommandStatus, number>;

/** A session's commands: a queue each session runs one at a time. */
export interface CommandStore {
  /** Stores queued commands, in the order given, all or none. */
  create(commands: readonly NewCommand[]): Promise<StoredCommand[]>;
  get(sessionId: string, id: string): Promise<StoredCommand | undefined>;
  /**
   * Marks the session's next queued command (highest priority, then oldest) as executing by
   * `runner`, unless one of the session's commands is executing already; resolves the command
   * claimed, or `undefined`. Two processes never claim for one session at once.
   */
  claimNext(
    sessionId: string,
    claim: { runner: string; started_at: string; lease_expires_at: (command: StoredCommand) => string },
  ): Promise<StoredCommand | undefined>;
  /** Moves a command to `transition.status` if it is in one of `from`; resolves it after, or `undefined`. */
  transition(
    id: string,
    from: readonly CommandStatus[],
    transition: CommandTransition,
  ): Promise<StoredCommand | undefined>;
  /** Commands by status, of one session or of all. */
  counts(sessionId?: string): Promise<CommandCounts>;
  /**
   * Ends running commands that no process will finish: those of `runner` (a process that
   * restarted) when given, and those whose lease expired before `now`. Resolves them.
   */
  failStale(params: {
    now: string;
    runner?: string;
    error: CommandError;
    completed_at: string;
  }): Promise<StoredCommand[]>;
  /** Sessions with queued commands, to resume after a restart. */
  sessionsWithQueued(): Promise<string[]>;
  /** Deletes every command of a session; resolves the ones that were queued or executing. */
  deleteSession(sessionId: string): Promise<StoredCommand[]>;
}

/** A stored event. `seq` orders every event (of every session) by when it was stored. */
export interface StoredEvent {
  id: string;
  session_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  timestamp: string;
  seq: number;
}

/** A session's events. */
export interface EventStore {
  /** Stores an event; resolves it with its `seq`. */
  append(event: Omit<StoredEvent, 'seq'>): Promise<StoredEvent>;
  get(sessionId: string, id: string): Promise<StoredEvent | undefined>;
  /** Oldest first, `limit` from `offset`, of one type when given; and how many match in all. */
  list(
    sessionId: string,
    options: { limit: number; offset: number; event_type?: string },
  ): Promise<{ events: StoredEvent[]; total: number }>;
  /** Events stored after `seq`, oldest first, at most `limit`. */
  after(sessionId: string, seq: number, limit: number): Promise<StoredEvent[]>;
  count(sessionId: string): Promise<number>;
  deleteSession(sessionId: string): Promise<number>;
}

/** A registered tool. */
export interface StoredTool {
  session_id: string;
  name: string;
  description: string;
  /** The parameters as registered. */
  parameters: Record<string, unknown>;
  function_code: string;
  created_at: string;
}

/** A session's tools, by name. */
export interface ToolStore {
  /** Stores a tool; resolves `false` when the session has one of that name already. */
  create(tool: StoredTool): Promise<boolean>;
  get(sessionId: string, name: string): Promise<StoredTool | undefined>;
  /** By name. */
  list(sessionId: string): Promise<StoredTool[]>;
  /** Resolves whether there was one. */
  delete(sessionId: string, name: string): Promise<boolean>;
  count(sessionId: string): Promise<number>;
  deleteSession(sessionId: string): Promise<number>;
}

/** What a handler runs on: a command type or an event type. */
export type HandlerKind = 'command' | 'event';

/** A registered handler. */
export interface StoredHandler {
  session_id: string;
  kind: HandlerKind;
  /** The command or event type. */
  type: string;
  code: string;
  created_at: string;
}

/** A session's handlers, one per kind and type. */
export interface HandlerStore {
  /** Stores a handler; resolves `false` when the session has one for that kind and type already. */
  create(handler: StoredHandler): Promise<boolean>;
  get(sessionId: string, kind: HandlerKind, type: string): Promise<StoredHandler | undefined>;
  /** By kind, then type. */
  list(sessionId: string): Promise<StoredHandler[]>;
  delete(sessionId: string, kind: HandlerKind, type: string): Promise<boolean>;
  count(sessionId: string): Promise<number>;
  deleteSession(sessionId: string): Promise<number>;
}

/** Every repository of the session area. */
export interface SessionAreaRepositories {
  readonly commands: CommandStore;
  readonly events: EventStore;
  readonly tools: ToolStore;
  readonly handlers: HandlerStore;
}
