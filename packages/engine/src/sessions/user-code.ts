/** @module User code of a session (tools, handlers): checked before it is stored, run in the sandbox. */
import type { SessionEvent } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import type { EngineLogger } from '../logger.js';
import type { Sandbox, SandboxResult } from '../sandbox.js';
import { metrics, spanAttributes, type Telemetry } from '../telemetry.js';

/** How deep events emitted by handlers may run handlers again: a handler loop ends here. */
export const maxHandlerDepth = 8;

const typeName = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;

/** What runs user code needs. */
export interface UserCodeDeps {
  sandbox: Sandbox;
  telemetry: Telemetry;
  logger: EngineLogger;
  /** Publishes an event the code emitted, at one handler depth deeper. */
  emit(
    sessionId: string,
    event: { event_type: string; data: Record<string, unknown> },
    depth: number,
  ): Promise<SessionEvent>;
  /** Hosts `fetch` may reach; none by default. */
  fetchAllowlist?: readonly string[];
}

/** One run of user code. */
export interface UserCodeRun {
  code: string;
  input: unknown;
  sessionId: string;
  /** The deadline, in milliseconds. */
  timeoutMs?: number;
  /** The handler depth of the event that led here (0 for a request). */
  depth: number;
}

/** Checks and runs a session's JavaScript through the sandbox, with `emit` and `log` handed in. */
export class UserCode {
  readonly #deps: UserCodeDeps;

  constructor(deps: UserCodeDeps) {
    this.#deps = deps;
  }

  /**
   * Refuses code that is not one JavaScript function: 422 naming `field`, saying JavaScript is
   * expected when the code is in another language.
   */
  async check(code: string, field: string): Promise<void> {
    const failure = await this.#deps.sandbox.check(code);
    if (!failure) return;
    const message =
      failure.kind === 'not_javascript'
        ? `${field} must be JavaScript: ${failure.message}`
        : `${field} is not one JavaScript function: ${failure.message}`;
    throw new HttpError('VALIDATION_ERROR', message, {
      details: { fields: [{ path: `body.${field}`, message: failure.message }], kind: failure.kind },
    });
  }

  /** Runs code; its own faults come back as `ok: false`, with the time it took recorded. */
  async run(run: UserCodeRun): Promise<SandboxResult> {
    const { sandbox, telemetry, logger } = this.#deps;
    const result = await sandbox.run({
      code: run.code,
      input: run.input,
      ...(run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs }),
      owner: run.sessionId,
      host: {
        emit: async (eventType, data) => {
          if (typeof eventType !== 'string' || !typeName.test(eventType)) {
            throw new TypeError(
              'emit(eventType, data): eventType must be a type name such as "OrderShipped"',
            );
          }
          const payload =
            typeof data === 'object' && data !== null && !Array.isArray(data)
              ? (data as Record<string, unknown>)
              : { value: data ?? null };
          await this.#deps.emit(run.sessionId, { event_type: eventType, data: payload }, run.depth + 1);
        },
        log: (level, message, data) => {
          telemetry.log({
            level,
            message: String(message).slice(0, 10_000),
            session_id: run.sessionId,
            metadata: { source: 'user_code', ...(data === undefined ? {} : { data }) },
          });
        },
        ...(this.#deps.fetchAllowlist?.length ? { fetchAllowlist: this.#deps.fetchAllowlist } : {}),
      },
    });
    telemetry.observe(metrics.sandboxDuration.name, result.durationMs / 1000);
    if (!result.ok && result.error.kind === 'busy') {
      logger.warn({ sessionId: run.sessionId }, 'The sandbox queue is full; a call was refused');
    }
    return result;
  }
}

/** The span attribute of the sandbox time of a run. */
export const sandboxTime = (result: SandboxResult) => ({ [spanAttributes.sandboxMs]: result.durationMs });
