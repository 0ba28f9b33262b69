/**
 * @module Prometheus metrics with prom-client: the runtime's (once per process) and every metric the
 * telemetry port defines (per server), printed together for `GET /metrics`.
 */
import { type Attributes, type MetricDefinition, metricLabels, metrics } from '@cartrita/engine';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The metrics of one server. */
export interface Prometheus {
  /** Adds to a counter of the port's definitions; other names are ignored. */
  count(name: string, labels?: Attributes, value?: number): void;
  /** Records an observation of a histogram of the port's definitions; other names are ignored. */
  observe(name: string, value: number, labels?: Attributes): void;
  /** Every metric in the Prometheus text format. */
  text(): Promise<string>;
  /** The content type of {@link Prometheus.text}. */
  readonly contentType: string;
}

/**
 * The runtime's metrics (process, heap, event loop, GC), collected once per process: their
 * observers cannot be stopped, and every server of the process reports the same process.
 */
let runtime: Registry | undefined;
const runtimeRegistry = (): Registry => {
  if (!runtime) {
    runtime = new Registry();
    collectDefaultMetrics({ register: runtime });
  }
  return runtime;
};

/**
 * prom-client writes a sample that is not a number as `Nan` (the event-loop lag's mean, when no
 * delay was sampled since the last scrape); the exposition format spells it `NaN`.
 */
export const spellNaN = (text: string): string => text.replace(/ Nan$/gm, ' NaN');

/**
 * The metrics of a new server: a registry of its own with a counter or histogram per definition of
 * the telemetry port (labels other than the declared ones are dropped, never thrown at).
 *
 * @example
 * const prometheus = createPrometheus();
 * prometheus.count('cartrita_commands_total', { status: 'completed' });
 * res.type(prometheus.contentType).send(await prometheus.text());
 */
export const createPrometheus = (): Prometheus => {
  const registry = new Registry();
  const counters = new Map<string, { definition: MetricDefinition; counter: Counter }>();
  const histograms = new Map<string, { definition: MetricDefinition; histogram: Histogram }>();
  for (const definition of Object.values(metrics) as MetricDefinition[]) {
    const common = {
      name: definition.name,
      help: definition.help,
      labelNames: [...definition.labels],
      registers: [registry],
    };
    if (definition.type === 'counter') {
      counters.set(definition.name, { definition, counter: new Counter(common) });
    } else {
      const buckets = definition.buckets ? [...definition.buckets] : undefined;
      histograms.set(definition.name, {
        definition,
        histogram: new Histogram({ ...common, ...(buckets ? { buckets } : {}) }),
      });
    }
  }
  const runtimeMetrics = runtimeRegistry();
  return {
    count(name, labels, value = 1) {
      const entry = counters.get(name);
      if (!entry || !(value >= 0)) return;
      entry.counter.inc(metricLabels(entry.definition, labels), value);
    },
    observe(name, value, labels) {
      const entry = histograms.get(name);
      if (!entry || !Number.isFinite(value)) return;
      entry.histogram.observe(metricLabels(entry.definition, labels), value);
    },
    async text() {
      const [own, process] = await Promise.all([registry.metrics(), runtimeMetrics.metrics()]);
      return spellNaN(`${own.trimEnd()}\n${process}`);
    },
    contentType: registry.contentType,
  };
};
