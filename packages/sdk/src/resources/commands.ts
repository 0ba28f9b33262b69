/** @module @cartrita/sdk/commands: a session's commands (seed 001), and waiting for their outcome. */

import { Command, CommandBatch, finishedCommandStatuses } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import { jitter, sleep } from '../core/retry.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';
import { CallScope } from '../core/timeouts.js';

/**
 * `client.commands.create()` params: `command_type`, its `parameters`, and `metadata` with
 * `priority` (`high`, `normal`, `low`) and `timeout` (seconds, once it starts).
 */
export type CommandCreateParams = RouteBody<'sessions.commands.create'>;
/** `client.commands.create()` result: the command, `queued` or `executing`. */
export type CommandCreateResult = RouteResult<'sessions.commands.create'>;
/** `client.commands.batch()` params: `{commands: [...]}`, queued in that order, all or none. */
export type CommandBatchParams = RouteBody<'sessions.commands.batch'>;
/** `client.commands.batch()` result: `{commands}`, in the order sent. */
export type CommandBatchResult = RouteResult<'sessions.commands.batch'>;
/** `client.commands.get()` result: the command, its `status`, and `result` or `error` once it ended. */
export type CommandGetResult = RouteResult<'sessions.commands.get'>;
/** `client.commands.cancel()` result: the command, `cancelled` unless it had already finished. */
export type CommandCancelResult = RouteResult<'sessions.commands.cancel'>;
/** The statuses a command ends in. */
export type CommandFinishedStatus = 'completed' | 'failed' | 'timeout' | 'cancelled';
/** `client.commands.wait()` and `.run()` result: the command once it finished. */
export type CommandWaitResult = CommandGetResult & { status: CommandFinishedStatus };

/** Default first wait between two polls of {@link Commands.wait}, in milliseconds. */
export const DEFAULT_POLL_INTERVAL_MS = 200;
/** Default longest wait between two polls of {@link Commands.wait}, in milliseconds. */
export const DEFAULT_MAX_POLL_INTERVAL_MS = 2_000;
/** Default deadline of {@link Commands.wait}, in milliseconds: 10 minutes. */
export const DEFAULT_WAIT_TIMEOUT_MS = 600_000;

/** Options of {@link Commands.wait} and {@link Commands.run}. */
export interface CommandWaitOptions extends RequestCallOptions {
  /**
   * The wait after the first poll, in milliseconds; each later wait doubles, up to
   * `maxPollIntervalMs`, each moved by up to 25 % so that clients do not poll in lockstep. Default: 200.
   */
  pollIntervalMs?: number | undefined;
  /** The longest wait between two polls, in milliseconds. Default: 2 000. */
  maxPollIntervalMs?: number | undefined;
  /**
   * How long to wait in all, in milliseconds; past it the call rejects with `APITimeoutError` (kind
   * `total`) and the command goes on in its session (its own `metadata.timeout` bounds it once it
   * starts). `0` or `Infinity` waits for as long as it takes. Default: 600 000 (10 minutes).
   */
  timeoutMs?: number | undefined;
}

const isFinished = <T extends { status: string }>(
  command: T,
): command is T & { status: CommandFinishedStatus } =>
  (finishedCommandStatuses as readonly string[]).includes(command.status);

const checkInterval = (name: string, value: number) => {
  if (!(value > 0) || !Number.isFinite(value))
    throw new TypeError(`${name} must be a positive number of milliseconds, got ${value}`);
};

/**
 * `/api/sessions/{session_id}/commands`: work queued in a session. A command answers at once
 * (`queued`, or `executing`), runs one at a time in its session by `metadata.priority`, and ends
 * `completed` (with `result`) or `failed`, `timeout` or `cancelled` (with `error: {code, message}`).
 * {@link Commands.wait} follows one to its end; {@link Commands.run} queues one and waits.
 *
 * @example
 * ```ts
 * const command = await client.commands.run(sessionId, {
 *   command_type: 'DummyEngineCommand',
 *   parameters: { prompt: 'Hello' },
 *   metadata: { priority: 'high', timeout: 30 },
 * });
 * if (command.status === 'completed') console.log(command.result);
 * else console.error(command.error?.code, command.error?.message);
 * ```
 */
export class Commands extends APIResource {
  /**
   * `POST /api/sessions/{session_id}/commands`: queues a command and answers at once (202). A handler
   * registered for its `command_type` runs it; otherwise the built-in `DummyEngineCommand`; otherwise
   * 404 `HANDLER_NOT_FOUND`.
   */
  create(
    sessionId: string,
    params: CommandCreateParams,
    options?: RequestCallOptions,
  ): APIPromise<CommandCreateResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/commands`,
      body: params,
      schema: Command,
      ...options,
    });
  }

  /**
   * `POST /api/sessions/{session_id}/commands/batch`: queues several commands in the order given, all
   * or none (each is checked before any is queued), and answers them in that order.
   */
  batch(
    sessionId: string,
    params: CommandBatchParams,
    options?: RequestCallOptions,
  ): APIPromise<CommandBatchResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/commands/batch`,
      body: params,
      schema: CommandBatch,
      ...options,
    });
  }

  /** `GET /api/sessions/{session_id}/commands/{command_id}`: the command where it is now. */
  get(sessionId: string, commandId: string, options?: RequestCallOptions): APIPromise<CommandGetResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/sessions/${sessionId}/commands/${commandId}`,
      schema: Command,
      ...options,
    });
  }

  /**
   * `POST /api/sessions/{session_id}/commands/{command_id}/cancel`: cancels a queued or running
   * command; a finished one is answered as it is.
   */
  cancel(
    sessionId: string,
    commandId: string,
    options?: RequestCallOptions,
  ): APIPromise<CommandCancelResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/commands/${commandId}/cancel`,
      schema: Command,
      ...options,
    });
  }

  /**
   * Follows a command until it finishes and resolves with it, whatever the outcome: read `status`
   * (`completed` with `result`; `failed`, `timeout` or `cancelled` with `error`). It polls
   * `GET .../commands/{command_id}` at once, then after `pollIntervalMs`, doubling to
   * `maxPollIntervalMs` (each poll retried as any GET is). Rejects with `APITimeoutError` after
   * `timeoutMs`, with `APIUserAbortError` when `signal` aborts, and with the poll's error (a
   * `NotFoundError` for a command or session that does not exist, say). Neither stops the command:
   * call {@link Commands.cancel} for that.
   *
   * @example
   * ```ts
   * const queued = await client.commands.create(sessionId, { command_type: 'Summarise', parameters: { url } });
   * const done = await client.commands.wait(sessionId, queued.command_id, { timeoutMs: 60_000 });
   * ```
   */
  async wait(
    sessionId: string,
    commandId: string,
    options: CommandWaitOptions = {},
  ): Promise<CommandWaitResult> {
    const {
      pollIntervalMs = DEFAULT_POLL_INTERVAL_MS,
      maxPollIntervalMs = DEFAULT_MAX_POLL_INTERVAL_MS,
      timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
      signal,
      ...call
    } = options;
    checkInterval('pollIntervalMs', pollIntervalMs);
    checkInterval('maxPollIntervalMs', maxPollIntervalMs);
    // The scope's signal aborts, with the error to report, on the caller's abort or at the deadline.
    const scope = new CallScope(
      { method: 'GET', path: path`/api/sessions/${sessionId}/commands/${commandId}` },
      { signal, totalTimeout: timeoutMs },
    );
    try {
      let interval = Math.min(pollIntervalMs, maxPollIntervalMs);
      for (;;) {
        const command = await this.get(sessionId, commandId, { ...call, signal: scope.signal });
        if (isFinished(command)) return command;
        await sleep(jitter(interval), scope.signal);
        interval = Math.min(interval * 2, maxPollIntervalMs);
      }
    } catch (error) {
      throw scope.signal.aborted ? scope.signal.reason : error;
    } finally {
      scope.dispose();
    }
  }

  /**
   * Queues a command and waits until it finishes ({@link Commands.create}, then
   * {@link Commands.wait}): resolves with the finished command, whatever its `status`.
   */
  async run(
    sessionId: string,
    params: CommandCreateParams,
    options: CommandWaitOptions = {},
  ): Promise<CommandWaitResult> {
    const { pollIntervalMs: _interval, maxPollIntervalMs: _max, timeoutMs: _timeout, ...call } = options;
    const command = await this.create(sessionId, params, call);
    return isFinished(command) ? command : this.wait(sessionId, command.command_id, options);
  }
}
