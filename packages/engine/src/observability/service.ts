/**
 * @module The observability area's rules: log entries listed and recorded, a session's figures
 * computed from the stored spans and logs, traces read back by id, old data purged.
 */
import type {
  CommandCounts,
  LogCreateRequest,
  LogEntry,
  LogList,
  LogListQuery,
  MetricsQuery,
  ObservabilityMetrics,
  Trace,
  TraceSpan,
} from '@cartrita/contracts';
import { type Clock, systemClock } from '../clock.js';
import { HttpError } from '../errors.js';
import { metrics, type Telemetry } from '../telemetry.js';
import { levelsFrom, newLogEntry } from './log-entries.js';
import type { ObservabilityRepositories, StoredSpan } from './repositories.js';

/** Commands waiting in a queue and running now. */
export interface PendingCommandCounts {
  queued: number;
  executing: number;
}

/**
 * Counts the commands that are not finished (of one session, or of all): they have no span yet,
 * so the engine's command area reports them.
 */
export type PendingCommands = (sessionId?: string) => PendingCommandCounts | Promise<PendingCommandCounts>;

/** Options of {@link ObservabilityService}. */
export interface ObservabilityServiceOptions {
  repositories: ObservabilityRepositories;
  /** Gives recorded entries their trace id, counts them, and is flushed before reads. */
  telemetry: Telemetry;
  clock?: Clock;
  /** Queued and executing commands. Default: none. */
  pendingCommands?: PendingCommands;
}

/** The outcomes of a finished command. */
const finishedOutcomes = ['completed', 'failed', 'timeout', 'cancelled'] as const;

/** The percentiles `command_latency_ms` reports. */
const percentiles = { p50: 50, p95: 95, p99: 99 } as const;

/** Milliseconds, to the microsecond. */
const ms = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Spans in order of start; a parent comes before its children even when they started in the same
 * millisecond (the stored times are to the millisecond).
 */
const inStartOrder = (spans: readonly StoredSpan[]): StoredSpan[] => {
  const byId = new Map(spans.map((span) => [span.span_id, span]));
  const depth = (span: StoredSpan): number => {
    let level = 0;
    let parent = span.parent_span_id === undefined ? undefined : byId.get(span.parent_span_id);
    while (parent && level < spans.length) {
      level += 1;
      parent = parent.parent_span_id === undefined ? undefined : byId.get(parent.parent_span_id);
    }
    return level;
  };
  const depths = new Map(spans.map((span) => [span, depth(span)]));
  return [...spans].sort((a, b) =>
    a.start_time === b.start_time
      ? (depths.get(a) ?? 0) - (depths.get(b) ?? 0)
      : a.start_time < b.start_time
        ? -1
        : 1,
  );
};

const toTraceSpan = (span: StoredSpan): TraceSpan => ({
  span_id: span.span_id,
  ...(span.parent_span_id === undefined ? {} : { parent_span_id: span.parent_span_id }),
  name: span.name,
  start_time: span.start_time,
  end_time: span.end_time,
  attributes: span.attributes,
  status: span.status,
});

/**
 * Logs, metrics and traces (seed 001). The figures are computed from what is stored, never from
 * one process's memory, so every instance over one database answers the same.
 *
 * @example
 * const service = new ObservabilityService({ repositories, telemetry });
 * await service.recordLog({ level: 'warn', message: 'Disk almost full' });
 * const { logs, total } = await service.listLogs({ level: 'warn', limit: 10 });
 */
export class ObservabilityService {
  readonly #repositories: ObservabilityRepositories;
  readonly #telemetry: Telemetry;
  readonly #clock: Clock;
  readonly #pendingCommands: PendingCommands;

  constructor(options: ObservabilityServiceOptions) {
    this.#repositories = options.repositories;
    this.#telemetry = options.telemetry;
    this.#clock = options.clock ?? systemClock;
    this.#pendingCommands = options.pendingCommands ?? (() => ({ queued: 0, executing: 0 }));
  }

  /** The newest entries that match, and how many match in all. */
  async listLogs(query: LogListQuery): Promise<LogList> {
    await this.#telemetry.flush?.();
    return this.#repositories.logs.list(
      {
        ...(query.level === undefined ? {} : { levels: levelsFrom(query.level) }),
        ...(query.session_id === undefined ? {} : { session_id: query.session_id }),
      },
      query.limit,
    );
  }

  /** Stores an entry with the active trace's id (the request's, on the server). */
  async recordLog(input: LogCreateRequest): Promise<LogEntry> {
    const log = newLogEntry(input, { traceId: this.#telemetry.traceId(), timestamp: this.#clock.now() });
    await this.#repositories.logs.append(log);
    this.#telemetry.count(metrics.logsTotal.name, { level: log.level });
    return log;
  }

  /** One session's figures, or every session's. */
  async metrics(query: MetricsQuery = {}): Promise<ObservabilityMetrics> {
    await this.#telemetry.flush?.();
    const sessionId = query.session_id;
    const { spans, logs } = this.#repositories;
    const [rows, levels, pending] = await Promise.all([
      spans.totals(sessionId),
      logs.countByLevel(sessionId),
      this.#pendingCommands(sessionId),
    ]);
    const commands: CommandCounts = {
      queued: pending.queued,
      executing: pending.executing,
      completed: 0,
      failed: 0,
      timeout: 0,
      cancelled: 0,
    };
    const engine = { total: 0, failed: 0 };
    const tools = { total: 0, failed: 0 };
    const providerCalls = { total: 0, failed: 0 };
    const totals = { input: 0, output: 0, sandbox: 0 };
    let finished = 0;
    for (const row of rows) {
      totals.input += row.input_tokens;
      totals.output += row.output_tokens;
      totals.sandbox += row.sandbox_ms;
      const failed = row.outcome !== undefined && row.outcome !== 'completed' ? row.count : 0;
      if (row.kind === 'command') {
        finished += row.count;
        const outcome = finishedOutcomes.find((name) => name === row.outcome);
        if (outcome) commands[outcome] += row.count;
      } else if (row.kind === 'engine') {
        engine.total += row.count;
        engine.failed += failed;
      } else if (row.kind === 'tool') {
        tools.total += row.count;
        tools.failed += failed;
      } else if (row.kind === 'provider') {
        providerCalls.total += row.count;
        providerCalls.failed += failed;
      }
    }
    const latency = { p50: 0, p95: 0, p99: 0 };
    if (finished > 0) {
      // Nearest rank: the smallest duration that at least p % of the commands did not exceed.
      for (const [name, p] of Object.entries(percentiles) as [keyof typeof latency, number][]) {
        const rank = Math.max(1, Math.ceil((p / 100) * finished));
        const filter = { kind: 'command', ...(sessionId === undefined ? {} : { session_id: sessionId }) };
        latency[name] = ms((await spans.durationAt(filter, rank - 1)) ?? 0);
      }
    }
    return {
      ...(sessionId === undefined ? {} : { session_id: sessionId }),
      commands,
      command_latency_ms: latency,
      engine_calls: engine,
      tokens: { input: totals.input, output: totals.output },
      tool_calls: tools,
      provider_calls: providerCalls,
      sandbox_ms: ms(totals.sandbox),
      logs: {
        debug: levels.debug ?? 0,
        info: levels.info ?? 0,
        warn: levels.warn ?? 0,
        error: levels.error ?? 0,
      },
      timestamp: this.#clock.now().toISOString(),
    };
  }

  /**
   * A trace's spans in order of start, parents before their children.
   *
   * @throws {HttpError} `NOT_FOUND` when no span of the trace is stored.
   */
  async trace(traceId: string): Promise<Trace> {
    await this.#telemetry.flush?.();
    const spans = await this.#repositories.spans.trace(traceId);
    if (spans.length === 0) throw new HttpError('NOT_FOUND', `Trace ${traceId} does not exist`);
    return { trace_id: traceId, spans: inStartOrder(spans).map(toTraceSpan) };
  }

  /** Deletes log entries recorded, and spans that ended, before `before`; returns how many of each. */
  async purge(before: Date): Promise<{ logs: number; spans: number }> {
    const time = before.toISOString();
    const [logs, spans] = await Promise.all([
      this.#repositories.logs.purgeBefore(time),
      this.#repositories.spans.purgeBefore(time),
    ]);
    return { logs, spans };
  }
}
