/**
 * @module Counters and histograms in memory, printed in the Prometheus text format: what the mocks
 * answer on `GET /metrics`. The server uses prom-client, which needs Node; this runs in browsers too
 * (see docs/decisions/0013-prometheus-text-in-the-mocks.md).
 */
import {
  type Attributes,
  metrics as definitions,
  type MetricDefinition,
  metricLabels,
  metricsByName,
} from '../telemetry.js';

/** One series of a metric: its labels and what was recorded under them. */
interface Series {
  labels: Record<string, string>;
  /** A counter's value, or a histogram's sum. */
  value: number;
  /** A histogram's observations at or below each bucket bound, and in all. */
  buckets: number[];
  count: number;
}

/** Counters and histograms kept in memory. */
export interface MemoryMetrics {
  /** Adds to a counter; a name that is not one of the `metrics` definitions is ignored. */
  count(name: string, labels?: Attributes, value?: number): void;
  /** Records an observation of a histogram; a name that is not one of the definitions is ignored. */
  observe(name: string, value: number, labels?: Attributes): void;
  /** The value of a counter's series, or a histogram's count (0 when nothing was recorded). */
  value(name: string, labels?: Attributes): number;
  /** Every defined metric in the Prometheus text exposition format (version 0.0.4). */
  text(): string;
  /** Forgets every value. */
  reset(): void;
}

const escapeLabel = (value: string) =>
  value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
const escapeHelp = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');

const labelText = (labels: Record<string, string>, extra?: [string, string]): string => {
  const pairs = Object.entries(labels);
  if (extra) pairs.push(extra);
  return pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
};

const numberText = (value: number): string =>
  value === Number.POSITIVE_INFINITY ? '+Inf' : Number.isNaN(value) ? 'NaN' : String(value);

/**
 * Counters and histograms of the `metrics` definitions, in memory.
 *
 * @example
 * const registry = createMemoryMetrics();
 * registry.count('cartrita_commands_total', { status: 'completed' });
 * registry.text(); // '# HELP cartrita_commands_total ...\ncartrita_commands_total{status="completed"} 1\n...'
 */
export const createMemoryMetrics = (): MemoryMetrics => {
  const series = new Map<string, Map<string, Series>>();

  const seriesOf = (definition: MetricDefinition, labels: Attributes | undefined): Series => {
    const clean = metricLabels(definition, labels);
    const key = JSON.stringify(clean);
    let byLabels = series.get(definition.name);
    if (!byLabels) {
      byLabels = new Map();
      series.set(definition.name, byLabels);
    }
    let entry = byLabels.get(key);
    if (!entry) {
      entry = { labels: clean, value: 0, buckets: (definition.buckets ?? []).map(() => 0), count: 0 };
      byLabels.set(key, entry);
    }
    return entry;
  };

  return {
    count(name, labels, value = 1) {
      const definition = metricsByName.get(name);
      if (definition?.type !== 'counter' || !(value >= 0)) return;
      seriesOf(definition, labels).value += value;
    },
    observe(name, value, labels) {
      const definition = metricsByName.get(name);
      if (definition?.type !== 'histogram' || !Number.isFinite(value)) return;
      const entry = seriesOf(definition, labels);
      entry.value += value;
      entry.count += 1;
      (definition.buckets ?? []).forEach((bound, index) => {
        if (value <= bound) entry.buckets[index] = (entry.buckets[index] ?? 0) + 1;
      });
    },
    value(name, labels) {
      const definition = metricsByName.get(name);
      if (!definition) return 0;
      const entry = series.get(name)?.get(JSON.stringify(metricLabels(definition, labels)));
      if (!entry) return 0;
      return definition.type === 'counter' ? entry.value : entry.count;
    },
    text() {
      const lines: string[] = [];
      for (const definition of Object.values(definitions) as MetricDefinition[]) {
        lines.push(`# HELP ${definition.name} ${escapeHelp(definition.help)}`);
        lines.push(`# TYPE ${definition.name} ${definition.type}`);
        for (const entry of series.get(definition.name)?.values() ?? []) {
          if (definition.type === 'counter') {
            lines.push(`${definition.name}${labelText(entry.labels)} ${numberText(entry.value)}`);
            continue;
          }
          (definition.buckets ?? []).forEach((bound, index) => {
            const le: [string, string] = ['le', numberText(bound)];
            lines.push(`${definition.name}_bucket${labelText(entry.labels, le)} ${entry.buckets[index]}`);
          });
          lines.push(`${definition.name}_bucket${labelText(entry.labels, ['le', '+Inf'])} ${entry.count}`);
          lines.push(`${definition.name}_sum${labelText(entry.labels)} ${numberText(entry.value)}`);
          lines.push(`${definition.name}_count${labelText(entry.labels)} ${entry.count}`);
        }
      }
      return `${lines.join('\n')}\n`;
    },
    reset: () => series.clear(),
  };
};
