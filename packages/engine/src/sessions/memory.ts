/** @module The session area's repositories in memory, by the SQL repositories' rules. */
import type { CommandStatus } from '@cartrita/contracts';
import type {
  CommandCounts,
  CommandStore,
  EventStore,
  HandlerStore,
  SessionAreaRepositories,
  StoredCommand,
  StoredEvent,
  StoredHandler,
  StoredTool,
  ToolStore,
} from './repositories.js';

const copy = <T>(value: T): T => structuredClone(value);

const priorityRank = { high: 0, normal: 1, low: 2 } as const;

/** Zero commands of every status. */
export const emptyCommandCounts = (): CommandCounts => ({
  queued: 0,
  executing: 0,
  completed: 0,
  failed: 0,
  timeout: 0,
  cancelled: 0,
});

/** The session area's repositories over one in-memory state, and a way to forget it. */
export interface MemorySessionAreaRepositories extends SessionAreaRepositories {
  /** Forgets every record of a deleted session, as the foreign keys' cascade does in SQL. */
  forgetSession(sessionId: string): void;
  clear(): void;
}

/**
 * The session area's repositories in memory.
 *
 * @example
 * const { commands, events, tools, handlers } = createMemorySessionAreaRepositories();
 */
export const createMemorySessionAreaRepositories = (): MemorySessionAreaRepositories => {
  const commands = new Map<string, StoredCommand & { seq: number }>();
  const events: StoredEvent[] = [];
  const tools = new Map<string, StoredTool>();
  const handlers = new Map<string, StoredHandler>();
  let seq = 0;
  const toolKey = (sessionId: string, name: string) => `${sessionId}\u0000${name}`;
  const handlerKey = (sessionId: string, kind: string, type: string) =>
    `${sessionId}\u0000${kind}\u0000${type}`;
  const ofSession = <T extends { session_id: string }>(rows: Iterable<T>, sessionId: string) =>
    [...rows].filter((row) => row.session_id === sessionId);
  const strip = ({ seq: _seq, ...command }: StoredCommand & { seq: number }): StoredCommand => copy(command);

  const commandStore: CommandStore = {
    async create(list) {
      for (const command of list) {
        if (commands.has(command.id)) throw new Error(`A command ${command.id} already exists`);
      }
      return list.map((command) => {
        const row = {
          ...copy(command),
          status: 'queued' as CommandStatus,
          result: null,
          error: null,
          started_at: null,
          completed_at: null,
          runner: null,
          lease_expires_at: null,
          seq: ++seq,
        };
        commands.set(row.id, row);
        return strip(row);
      });
    },
    async get(sessionId, id) {
      const row = commands.get(id);
      return row && row.session_id === sessionId ? strip(row) : undefined;
    },
    async claimNext(sessionId, claim) {
      const own = ofSession(commands.values(), sessionId);
      if (own.some((command) => command.status === 'executing')) return undefined;
      const next = own
        .filter((command) => command.status === 'queued')
        .sort(
          (a, b) => priorityRank[a.metadata.priority] - priorityRank[b.metadata.priority] || a.seq - b.seq,
        )[0];
      if (!next) return undefined;
      next.status = 'executing';
      next.runner = claim.runner;
      next.started_at = claim.started_at;
      next.lease_expires_at = claim.lease_expires_at(strip(next));
      return strip(next);
    },
    async transition(id, from, transition) {
      const row = commands.get(id);
      if (!row || !from.includes(row.status)) return undefined;
      row.status = transition.status;
      if (transition.result !== undefined) row.result = copy(transition.result);
      if (transition.error !== undefined) row.error = copy(transition.error);
      if (transition.completed_at !== undefined) row.completed_at = transition.completed_at;
      if (transition.status !== 'executing') {
        row.runner = null;
        row.lease_expires_at = null;
      }
      return strip(row);
    },
    async counts(sessionId) {
      const counts = emptyCommandCounts();
      const rows = sessionId === undefined ? [...commands.values()] : ofSession(commands.values(), sessionId);
      for (const row of rows) counts[row.status] += 1;
      return counts;
    },
    async failStale({ now, runner, error, completed_at }) {
      const failed: StoredCommand[] = [];
      for (const row of commands.values()) {
        if (row.status !== 'executing') continue;
        const expired = row.lease_expires_at !== null && row.lease_expires_at < now;
        if (!expired && (runner === undefined || row.runner !== runner)) continue;
        row.status = 'failed';
        row.error = copy(error);
        row.completed_at = completed_at;
        row.runner = null;
        row.lease_expires_at = null;
        failed.push(strip(row));
      }
      return failed;
    },
    async sessionsWithQueued() {
      return [
        ...new Set(
          [...commands.values()].filter((row) => row.status === 'queued').map((row) => row.session_id),
        ),
      ];
    },
    async deleteSession(sessionId) {
      const open: StoredCommand[] = [];
      for (const [id, row] of commands) {
        if (row.session_id !== sessionId) continue;
        if (row.status === 'queued' || row.status === 'executing') open.push(strip(row));
        commands.delete(id);
      }
      return open;
    },
  };

  const eventStore: EventStore = {
    async append(event) {
      if (events.some((row) => row.id === event.id)) throw new Error(`An event ${event.id} already exists`);
      const row = { ...copy(event), seq: ++seq };
      events.push(row);
      return copy(row);
    },
    async get(sessionId, id) {
      const row = events.find((event) => event.id === id && event.session_id === sessionId);
      return row && copy(row);
    },
    async list(sessionId, { limit, offset, event_type }) {
      const rows = events.filter(
        (event) =>
          event.session_id === sessionId && (event_type === undefined || event.event_type === event_type),
      );
      return { events: rows.slice(offset, offset + limit).map(copy), total: rows.length };
    },
    async after(sessionId, after, limit) {
      return events
        .filter((event) => event.session_id === sessionId && event.seq > after)
        .slice(0, limit)
        .map(copy);
    },
    async count(sessionId) {
      return ofSession(events, sessionId).length;
    },
    async deleteSession(sessionId) {
      const before = events.length;
      for (let i = events.length - 1; i >= 0; i--) {
        if (events[i]?.session_id === sessionId) events.splice(i, 1);
      }
      return before - events.length;
    },
  };

  const toolStore: ToolStore = {
    async create(tool) {
      const key = toolKey(tool.session_id, tool.name);
      if (tools.has(key)) return false;
      tools.set(key, copy(tool));
      return true;
    },
    async get(sessionId, name) {
      const tool = tools.get(toolKey(sessionId, name));
      return tool && copy(tool);
    },
    async list(sessionId) {
      return ofSession(tools.values(), sessionId)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map(copy);
    },
    async delete(sessionId, name) {
      return tools.delete(toolKey(sessionId, name));
    },
    async count(sessionId) {
      return ofSession(tools.values(), sessionId).length;
    },
    async deleteSession(sessionId) {
      let deleted = 0;
      for (const [key, tool] of tools) {
        if (tool.session_id === sessionId && tools.delete(key)) deleted += 1;
      }
      return deleted;
    },
  };

  const handlerStore: HandlerStore = {
    async create(handler) {
      const key = handlerKey(handler.session_id, handler.kind, handler.type);
      if (handlers.has(key)) return false;
      handlers.set(key, copy(handler));
      return true;
    },
    async get(sessionId, kind, type) {
      const handler = handlers.get(handlerKey(sessionId, kind, type));
      return handler && copy(handler);
    },
    async list(sessionId) {
      return ofSession(handlers.values(), sessionId)
        .sort((a, b) => a.kind.localeCompare(b.kind) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
        .map(copy);
    },
    async delete(sessionId, kind, type) {
      return handlers.delete(handlerKey(sessionId, kind, type));
    },
    async count(sessionId) {
      return ofSession(handlers.values(), sessionId).length;
    },
    async deleteSession(sessionId) {
      let deleted = 0;
      for (const [key, handler] of handlers) {
        if (handler.session_id === sessionId && handlers.delete(key)) deleted += 1;
      }
      return deleted;
    },
  };

  return {
    commands: commandStore,
    events: eventStore,
    tools: toolStore,
    handlers: handlerStore,
    forgetSession(sessionId) {
      void commandStore.deleteSession(sessionId);
      void eventStore.deleteSession(sessionId);
      void toolStore.deleteSession(sessionId);
      void handlerStore.deleteSession(sessionId);
    },
    clear() {
      commands.clear();
      events.length = 0;
      tools.clear();
      handlers.clear();
    },
  };
};
