/**
 * @module Transcripts of what a target answered: every response's status and body, with what differs
 * between any two runs by nature (ids, times, secrets, signatures, the target's own origin) replaced
 * by placeholders numbered in order of appearance. Two targets that answer alike give equal
 * transcripts; the contract suite compares the mocks' with the server's on each storage engine.
 */
import type { CompareOptions } from './cases.js';

/** One answer as recorded. */
export interface TranscriptEntry {
  request: string;
  status: number;
  /** The normalised body: JSON, the frames of a stream, or text; absent when only the status is compared. */
  body?: unknown;
}

/** Id-like tokens (`thr_1f0b741c`, `cks_…`, `resp_…:3`), replaced by numbered placeholders. */
const token =
  /\b(cks|ck|thr|msg|atc|sess|usr|resp|cs|ws|req|tc|call|wf|tsk|shcx|key|log|cmd|evt|eng|run|mem|file)_[A-Za-z0-9._-]+/g;
/** OpenTelemetry's trace ids (32 hex characters) and span ids (16), wherever they stand. */
const otelId = /\b([0-9a-f]{32}|[0-9a-f]{16})\b/g;
/** UUIDs (seed 003's persona and module ids, and image names), wherever they stand. */
const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Replaces the parts of values that differ between runs; keeps everything else exactly. */
export const createNormalizer = (baseURL: string) => {
  const seen = new Map<string, string>();
  const counts = new Map<string, number>();
  const placeholder = (prefix: string, value: string) => {
    let name = seen.get(value);
    if (!name) {
      const n = (counts.get(prefix) ?? 0) + 1;
      counts.set(prefix, n);
      name = `<${prefix}#${n}>`;
      seen.set(value, name);
    }
    return name;
  };
  const text = (value: string): string => {
    if (isoTime.test(value)) return '<time>';
    return value
      .split(baseURL)
      .join('<origin>')
      .replace(/([?&])expires=\d+/g, '$1expires=<n>')
      .replace(/([?&])sig=[A-Za-z0-9_-]+/g, '$1sig=<sig>')
      .replace(token, (match, prefix: string) => {
        // A reply's frame id keeps its number: `resp_…:3` is `<resp#1>:3`.
        const frame = /^(resp_[0-9a-f]+):(\d+)$/.exec(match);
        return frame ? `${placeholder('resp', frame[1] as string)}:${frame[2]}` : placeholder(prefix, match);
      })
      .replace(uuid, (match) => placeholder('uuid', match))
      .replace(otelId, (match) => placeholder(match.length === 32 ? 'trace' : 'span', match));
  };
  const value = (input: unknown, key?: string): unknown => {
    if (typeof input === 'string') return text(input);
    // Seconds since start: a second's tick apart on two targets.
    if (key === 'uptime' && typeof input === 'number') return '<seconds>';
    // Measured times differ from run to run.
    if ((key === 'duration_ms' || key === 'latency_ms' || key === 'total_ms') && typeof input === 'number') {
      return '<ms>';
    }
    if (Array.isArray(input)) return input.map((entry) => value(entry));
    if (typeof input === 'object' && input !== null) {
      return Object.fromEntries(Object.entries(input).map(([name, entry]) => [name, value(entry, name)]));
    }
    return input;
  };
  return value;
};

/** The frames of an event stream, each JSON `data` normalised; comments (heartbeats) left out. */
const streamBody = (raw: string, normalize: (value: unknown) => unknown) =>
  raw
    .split('\n\n')
    .filter((frame) => frame.trim() !== '' && !frame.startsWith(':'))
    .map((frame) =>
      Object.fromEntries(
        frame.split('\n').map((line) => {
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const content = line.slice(colon + 2);
          return [field, normalize(field === 'data' ? JSON.parse(content) : content)];
        }),
      ),
    );

interface RawEntry {
  request: string;
  status: number;
  type?: string;
  raw?: string;
}

/**
 * A `fetch` that records every answer, and the transcript of them. Bodies are normalised only when
 * the transcript is taken, in the order the requests were sent, so placeholders are numbered the
 * same way whatever the timing of the reads.
 */
export const createRecorder = (baseURL: string) => {
  const pending: Promise<RawEntry>[] = [];
  const record = async (request: string, response: Response, compare: CompareOptions['compare']) => {
    if (compare === 'status') return { request, status: response.status };
    return {
      request,
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      raw: await response.text(),
    };
  };
  return {
    async fetch(input: string, init: RequestInit = {}, options: CompareOptions = {}): Promise<Response> {
      const response = await fetch(input, init);
      // The case reads the response; the transcript reads a copy of it.
      const copy = response.clone();
      pending.push(record(`${init.method ?? 'GET'} ${input}`, copy, options.compare));
      if (options.compare === 'status') void copy.body?.cancel();
      return response;
    },
    /** Every answer recorded since the last call, in the order the requests were sent. */
    async transcript(): Promise<TranscriptEntry[]> {
      const normalize = createNormalizer(baseURL);
      return (await Promise.all(pending.splice(0))).map(({ request, status, type, raw }) => {
        const entry: TranscriptEntry = { request: normalize(request) as string, status };
        if (raw === undefined || type === undefined) return entry;
        entry.body = type.startsWith('text/event-stream')
          ? streamBody(raw, normalize)
          : type.startsWith('application/json')
            ? normalize(JSON.parse(raw))
            : `${type}: ${raw.length} bytes`;
        return entry;
      });
    },
  };
};
