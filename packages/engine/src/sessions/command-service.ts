/**
 * @module Commands: a queue per session, run one at a time by priority, each bounded by its timeout,
 * and followed to its outcome. Commands are rows: a restart fails the ones that were running and
 * runs the queued ones.
 */
import {
  type Command,
  type CommandBatch,
  type CommandBatchRequest,
  type CommandCreateRequest,
  type CommandError,
  type CommandStatus,
  finishedCommandStatuses,
} from '@cartrita/contracts';
import { DummyCommandParameters, dummyCommandType, dummyReply, dummyStatusEvent } from '../engines/dummy.js';
import { fieldIssuesFromZod, HttpError } from '../errors.js';
import { newId } from '../ids.js';
import { metrics, spanAttributes } from '../telemetry.js';
import type { SessionCaller } from './access.js';
import type { SessionAreaDeps } from './deps.js';
import type { EventService } from './event-service.js';
import type { CommandCounts, NewCommand, StoredCommand } from './repositories.js';
import type { SessionService } from './session-service.js';
import { sandboxTime, type UserCode } from './user-code.js';

/** Settings of the command queue. */
export interface CommandQueueOptions {
  /** This process's name among those sharing the database; stable across its restarts. */
  runnerId: string;
  /** `metadata.timeout` when a command names none, in seconds; default 30. */
  defaultTimeoutSeconds?: number;
  /** Most commands a session may have queued; default 1000. */
  maxQueuedPerSession?: number;
}

/** Time a running command's lease lasts past its timeout, for a sweep to tell it was abandoned. */
const leaseGraceMs = 30_000;

const finished = (status: CommandStatus) => finishedCommandStatuses.includes(status);

/** The wire form of a stored command. */
export const toCommand = (command: StoredCommand): Command => ({
  command_id: command.id,
  session_id: command.session_id,
  command_type: command.command_type,
  parameters: command.parameters,
  metadata: command.metadata,
  status: command.status,
  result: command.result ?? null,
  error: command.error,
  created_at: command.created_at,
  started_at: command.started_at,
  completed_at: command.completed_at,
});

/** Why a command did not complete, by how it ended. */
const commandError = (code: string, message: string): CommandError => ({ code, message });

/** Commands of seed 001 and the queue that runs them. */
export class CommandService {
  readonly #deps: SessionAreaDeps;
  readonly #sessions: SessionService;
  readonly #events: EventService;
  readonly #code: () => UserCode;
  readonly #options: Required<CommandQueueOptions>;
  /** Sessions this process is draining, and whether more was queued since it last looked. */
  readonly #draining = new Map<string, { again: boolean; done: Promise<void> }>();
  /** Commands running here, to stop them on cancel. */
  readonly #running = new Map<string, AbortController>();
  #accepting = true;

  constructor(
    deps: SessionAreaDeps,
    sessions: SessionService,
    events: EventService,
    code: () => UserCode,
    options: CommandQueueOptions,
  ) {
    this.#deps = deps;
    this.#sessions = sessions;
    this.#events = events;
    this.#code = code;
    this.#options = { defaultTimeoutSeconds: 30, maxQueuedPerSession: 1000, ...options };
    sessions.onDelete = (sessionId) => this.#stopSession(sessionId);
  }

  /** Queues a command; it starts at once when the session's queue is idle. */
  async create(sessionId: string, caller: SessionCaller, request: CommandCreateRequest): Promise<Command> {
    const [command] = await this.#enqueue(sessionId, caller, [request]);
    return command as Command;
  }

  /** Queues several commands in order, all or none. */
  async batch(sessionId: string, caller: SessionCaller, request: CommandBatchRequest): Promise<CommandBatch> {
    return { commands: await this.#enqueue(sessionId, caller, request.commands) };
  }

  /** A command of a session the caller reaches; 404 `NOT_FOUND` when there is none of that id. */
  async get(sessionId: string, caller: SessionCaller, commandId: string): Promise<Command> {
    await this.#sessions.find(sessionId, caller);
    const command = await this.#deps.repositories.commands.get(sessionId, commandId);
    if (!command) throw HttpError.notFound('command', commandId);
    return toCommand(command);
  }

  /** Cancels a queued or running command; a finished one is answered as it is. */
  async cancel(sessionId: string, caller: SessionCaller, commandId: string): Promise<Command> {
    await this.#sessions.find(sessionId, caller);
    const { commands } = this.#deps.repositories;
    const command = await commands.get(sessionId, commandId);
    if (!command) throw HttpError.notFound('command', commandId);
    if (finished(command.status)) return toCommand(command);
    const cancelled = await commands.transition(commandId, ['queued', 'executing'], {
      status: 'cancelled',
      error: commandError('COMMAND_CANCELLED', 'The command was cancelled'),
      completed_at: this.#now(),
    });
    this.#running.get(commandId)?.abort(new Error('cancelled'));
    if (cancelled) this.#finishedMetrics(cancelled);
    return toCommand(cancelled ?? ((await commands.get(sessionId, commandId)) as StoredCommand));
  }

  /** Commands queued and running, of one session or of all. */
  counts(sessionId?: string): Promise<CommandCounts> {
    return this.#deps.repositories.commands.counts(sessionId);
  }

  /**
   * Picks up after a restart: fails the commands this runner had running (and any whose lease
   * expired: their process is gone), then runs every session's queued commands. Call once at start
   * and then now and then (`sweep`) so commands of an instance that died are ended and resumed.
   */
  async recover(): Promise<{ failed: number; resumed: number }> {
    return this.#sweep(true);
  }

  /** Ends commands whose process died (lease expired) and runs queued commands nobody is running. */
  async sweep(): Promise<{ failed: number; resumed: number }> {
    return this.#sweep(false);
  }

  /**
   * Stops taking commands from the queues and waits for the running ones until `deadlineMs`, then
   * cancels what still runs. Queued commands stay queued for the next start.
   */
  async drain(deadlineMs: number): Promise<void> {
    this.#accepting = false;
    const all = Promise.all([...this.#draining.values()].map((entry) => entry.done));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const outcome = await Promise.race([all.then(() => 'done' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      for (const controller of this.#running.values()) controller.abort(new Error('shutdown'));
      await all;
    }
  }

  /** How many commands this process is running now. */
  get executingHere(): number {
    return this.#running.size;
  }

  async #sweep(restarted: boolean): Promise<{ failed: number; resumed: number }> {
    const { commands } = this.#deps.repositories;
    const now = this.#now();
    const failed = await commands.failStale({
      now,
      ...(restarted ? { runner: this.#options.runnerId } : {}),
      error: commandError(
        'SERVER_RESTARTED',
        'The command was running when its server stopped; it did not finish. Send it again to retry.',
      ),
      completed_at: now,
    });
    for (const command of failed) {
      this.#finishedMetrics(command);
      this.#deps.telemetry.log({
        level: 'warn',
        message: `Command ${command.id} (${command.command_type}) was running when its server stopped; marked failed`,
        session_id: command.session_id,
        metadata: { command_id: command.id },
      });
    }
    const sessions = await commands.sessionsWithQueued();
    for (const sessionId of sessions) void this.#kick(sessionId);
    return { failed: failed.length, resumed: sessions.length };
  }

  async #enqueue(
    sessionId: string,
    caller: SessionCaller,
    requests: readonly CommandCreateRequest[],
  ): Promise<Command[]> {
    await this.#sessions.active(sessionId, caller);
    if (!this.#accepting)
      throw new HttpError('SERVICE_UNAVAILABLE', 'The server is stopping; send the command again shortly.');
    const { commands, handlers } = this.#deps.repositories;
    const handled = new Map<string, boolean>();
    for (const [index, request] of requests.entries()) {
      const at = requests.length > 1 ? `body.commands.${index}` : 'body';
      let known = handled.get(request.command_type);
      if (known === undefined) {
        known = (await handlers.get(sessionId, 'command', request.command_type)) !== undefined;
        handled.set(request.command_type, known);
      }
      if (known) continue;
      if (request.command_type !== dummyCommandType) {
        throw new HttpError(
          'HANDLER_NOT_FOUND',
          `No handler runs commands of type "${request.command_type}" in session ${sessionId}: register one with POST /api/sessions/${sessionId}/handlers/commands`,
          { details: { command_type: request.command_type, ...(requests.length > 1 ? { index } : {}) } },
        );
      }
      const parsed = DummyCommandParameters.safeParse(request.parameters);
      if (!parsed.success) throw HttpError.validation(fieldIssuesFromZod(parsed.error, `${at}.parameters`));
    }
    const counts = await commands.counts(sessionId);
    if (counts.queued + requests.length > this.#options.maxQueuedPerSession) {
      throw HttpError.rateLimited(
        1000,
        `Session ${sessionId} has ${counts.queued} commands queued; at most ${this.#options.maxQueuedPerSession} may wait`,
      );
    }
    const createdAt = this.#now();
    const rows: NewCommand[] = requests.map((request) => ({
      id: newId('command', 8),
      session_id: sessionId,
      command_type: request.command_type,
      parameters: request.parameters,
      metadata: {
        ...request.metadata,
        priority: request.metadata.priority ?? 'normal',
        timeout: request.metadata.timeout ?? this.#options.defaultTimeoutSeconds,
      },
      created_at: createdAt,
    }));
    const stored = await commands.create(rows);
    // A command the queue takes at once answers as executing, as the seed shows; the rest as queued.
    const started = await this.#kick(sessionId);
    return stored.map((command) => toCommand(command.id === started?.id ? started : command));
  }

  /**
   * Makes this process drain a session's queue, unless it is already doing so; resolves the command
   * it took first (now executing), or `undefined` when it took none.
   */
  #kick(sessionId: string): Promise<StoredCommand | undefined> {
    if (!this.#accepting) return Promise.resolve(undefined);
    const entry = this.#draining.get(sessionId);
    if (entry) {
      entry.again = true;
      return Promise.resolve(undefined);
    }
    let tookFirst: (command: StoredCommand | undefined) => void = () => {};
    const first = new Promise<StoredCommand | undefined>((resolve) => {
      tookFirst = resolve;
    });
    const state = { again: true, done: Promise.resolve() };
    state.done = this.#drainSession(sessionId, state, (command) => tookFirst(command)).finally(() => {
      tookFirst(undefined);
      this.#draining.delete(sessionId);
    });
    this.#draining.set(sessionId, state);
    return first;
  }

  async #drainSession(
    sessionId: string,
    state: { again: boolean },
    claimed: (command: StoredCommand | undefined) => void,
  ): Promise<void> {
    const { commands } = this.#deps.repositories;
    while (state.again && this.#accepting) {
      state.again = false;
      for (;;) {
        if (!this.#accepting) return;
        let command: StoredCommand | undefined;
        try {
          command = await commands.claimNext(sessionId, {
            runner: this.#options.runnerId,
            started_at: this.#now(),
            lease_expires_at: (next) =>
              new Date(
                this.#deps.clock.now().getTime() + next.metadata.timeout * 1000 + leaseGraceMs,
              ).toISOString(),
          });
        } catch (error) {
          this.#deps.logger.error({ err: error, sessionId }, 'Could not take the next command');
          return;
        }
        // Only the first claim is reported; resolving a settled promise again does nothing.
        claimed(command);
        if (!command) break;
        await this.#execute(command);
      }
    }
  }

  async #execute(command: StoredCommand): Promise<void> {
    const { telemetry, repositories } = this.#deps;
    const controller = new AbortController();
    this.#running.set(command.id, controller);
    const timeoutMs = command.metadata.timeout * 1000;
    const started = this.#deps.clock.now().getTime();
    try {
      await telemetry.span(
        `command ${command.command_type}`,
        {
          [spanAttributes.kind]: 'command',
          [spanAttributes.sessionId]: command.session_id,
          [spanAttributes.commandId]: command.id,
          [spanAttributes.commandType]: command.command_type,
        },
        async (span) => {
          const outcome = await this.#outcome(command, controller, timeoutMs);
          if (outcome.sandboxMs !== undefined)
            span.setAttributes({ [spanAttributes.sandboxMs]: outcome.sandboxMs });
          const done = await repositories.commands.transition(command.id, ['executing'], {
            status: outcome.status,
            ...(outcome.status === 'completed' ? { result: outcome.result ?? null } : {}),
            error: outcome.error ?? null,
            completed_at: this.#now(),
          });
          const final = done ?? (await repositories.commands.get(command.session_id, command.id));
          span.setAttributes({ [spanAttributes.status]: final?.status ?? 'cancelled' });
          if (final?.error) span.fail(new Error(final.error.message));
          if (done) this.#finishedMetrics(done, started);
        },
      );
    } catch (error) {
      this.#deps.logger.error({ err: error, commandId: command.id }, 'A command could not be finished');
    } finally {
      this.#running.delete(command.id);
    }
  }

  /** Runs a command to its outcome: what it returned, or why it did not complete. */
  async #outcome(
    command: StoredCommand,
    controller: AbortController,
    timeoutMs: number,
  ): Promise<{ status: CommandStatus; result?: unknown; error?: CommandError; sandboxMs?: number }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const aborted = new Promise<'aborted'>((resolve) => {
      if (controller.signal.aborted) resolve('aborted');
      controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    try {
      const work = this.#run(command, timeoutMs, controller.signal);
      // A rejection after the race is decided must not go unhandled.
      work.catch(() => {});
      const winner = await Promise.race([work, deadline, aborted]);
      if (winner === 'timeout') {
        controller.abort(new Error('timeout'));
        return {
          status: 'timeout',
          error: commandError(
            'COMMAND_TIMEOUT',
            `The command did not finish within its timeout of ${command.metadata.timeout} s`,
          ),
        };
      }
      if (winner === 'aborted') {
        const stopping = (controller.signal.reason as Error | undefined)?.message === 'shutdown';
        return {
          status: 'cancelled',
          error: commandError(
            'COMMAND_CANCELLED',
            stopping ? 'The server stopped before the command finished' : 'The command was cancelled',
          ),
        };
      }
      return winner;
    } catch (error) {
      return {
        status: 'failed',
        error: commandError(
          'COMMAND_EXECUTION_FAILED',
          error instanceof Error ? error.message : String(error),
        ),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the session's handler of the command's type, else the built-in type. */
  async #run(
    command: StoredCommand,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<{ status: CommandStatus; result?: unknown; error?: CommandError; sandboxMs?: number }> {
    const handler = await this.#deps.repositories.handlers.get(
      command.session_id,
      'command',
      command.command_type,
    );
    if (handler) {
      const result = await this.#code().run({
        code: handler.code,
        input: {
          command_id: command.id,
          session_id: command.session_id,
          command_type: command.command_type,
          parameters: command.parameters,
          metadata: command.metadata,
        },
        sessionId: command.session_id,
        timeoutMs,
        depth: 0,
      });
      const sandboxMs = sandboxTime(result)[spanAttributes.sandboxMs];
      if (result.ok) return { status: 'completed', result: result.value, sandboxMs };
      if (result.error.kind === 'timeout') {
        return {
          status: 'timeout',
          error: commandError(
            'COMMAND_TIMEOUT',
            `The command did not finish within its timeout of ${command.metadata.timeout} s`,
          ),
          sandboxMs,
        };
      }
      return {
        status: 'failed',
        error: commandError(
          'COMMAND_EXECUTION_FAILED',
          `The handler failed (${result.error.kind}): ${result.error.message}`,
        ),
        sandboxMs,
      };
    }
    if (command.command_type === dummyCommandType) {
      const { prompt } = DummyCommandParameters.parse(command.parameters);
      const status = (value: string) =>
        this.#events.emit(
          command.session_id,
          {
            event_type: dummyStatusEvent,
            data: { status: value, command_id: command.id },
            metadata: { source: 'engine' },
          },
          0,
        );
      await status('processing');
      if (signal.aborted) throw new Error('cancelled');
      const { response } = dummyReply(prompt);
      await status('completed');
      return { status: 'completed', result: { response } };
    }
    throw new Error(`No handler runs commands of type "${command.command_type}" any more`);
  }

  async #stopSession(sessionId: string): Promise<void> {
    const { commands } = this.#deps.repositories;
    const counts = await commands.counts(sessionId);
    if (counts.executing === 0) return;
    for (const [id, controller] of this.#running) {
      const command = await commands.get(sessionId, id);
      if (command) controller.abort(new Error('session deleted'));
    }
  }

  #finishedMetrics(command: StoredCommand, startedMs?: number): void {
    const { telemetry } = this.#deps;
    telemetry.count(metrics.commandsTotal.name, { status: command.status });
    if (startedMs !== undefined) {
      telemetry.observe(metrics.commandDuration.name, (this.#deps.clock.now().getTime() - startedMs) / 1000, {
        status: command.status,
      });
    }
  }

  #now(): string {
    return this.#deps.clock.now().toISOString();
  }
}
