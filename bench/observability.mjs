// Benchmark: what observability costs. (1) A span recorded through the server's telemetry and written to
// SQLite by the batched exporter, against running the same function with tracing off; (2) one Prometheus
// observation in prom-client (the server) and in the engine's in-memory metrics (the mocks); (3) a request
// to the server with tracing on against tracing off, in the same run. Bounded: fixed counts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryMetrics } from '../packages/engine/dist/index.js';
import { openStorage } from '../reference-server/dist/storage/index.js';
import {
  createPrometheus,
  createServerTelemetry,
  createTraceContext,
} from '../reference-server/dist/telemetry/index.js';
import { startTestServer } from '../reference-server/dist/testing.js';
import { ms, quantile } from './stats.mjs';

const SPANS = 20_000;
const OBSERVATIONS = 1_000_000;
const REQUESTS = 1000;
const WARMUP = 300;

const us = (value) => `${value.toFixed(1)} µs`;
const ns = (value) => `${value.toFixed(0)} ns`;

// (1) Spans: recorded, batched and written to SQLite, per span.
const spanCost = async (tracing) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cartrita-bench-'));
  const storage = await openStorage({ url: `sqlite:///${join(dataDir, 'cartrita.db')}`, dataDir });
  const context = createTraceContext();
  const server = createServerTelemetry({
    repositories: storage.store,
    context,
    tracing,
    metrics: false,
    version: 'bench',
  });
  const { telemetry } = server;
  const attributes = { 'cartrita.kind': 'command', 'cartrita.session_id': 'sess_bench' };
  try {
    const start = performance.now();
    for (let i = 0; i < SPANS / 2; i++) {
      await telemetry.span('command Bench', attributes, () =>
        telemetry.span(
          'engine Bench',
          { 'cartrita.kind': 'engine', 'cartrita.tokens.input': 3 },
          async () => i,
        ),
      );
    }
    await telemetry.flush();
    return (performance.now() - start) * 1000;
  } finally {
    await server.close();
    context.close();
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const traced = await spanCost(true);
const untraced = await spanCost(false);
console.log(`Spans through the server's telemetry, stored in SQLite (${SPANS} spans, half nested)`);
console.log(`  recorded and stored: ${us(traced / SPANS)} a span (${ms(traced / 1000)} in all)`);
console.log(`  the same calls with tracing off: ${us(untraced / SPANS)} a call`);
console.log(`  cost of a span: ${us((traced - untraced) / SPANS)}`);

// (2) One observation of a labelled histogram.
const observe = (registry) => {
  const start = performance.now();
  for (let i = 0; i < OBSERVATIONS; i++) {
    registry.observe('cartrita_command_duration_seconds', (i % 100) / 100, { status: 'completed' });
  }
  return ((performance.now() - start) * 1e6) / OBSERVATIONS;
};
const prom = observe(createPrometheus());
const memory = observe(createMemoryMetrics());
console.log(`\nOne histogram observation with a label (${OBSERVATIONS.toLocaleString('en')} observations)`);
console.log(`  prom-client (server): ${ns(prom)}; in-memory metrics (mocks): ${ns(memory)}`);

// (3) Requests with tracing on and off: a ChatKit `threads.list` (records its span, writes it later) and
// `GET /api/observability/logs?limit=1` (a read: it first writes the spans still buffered).
const latency = async (env) => {
  const server = await startTestServer({ env });
  try {
    const session = await (await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' })).json();
    const requests = {
      'POST /chatkit threads.list': () =>
        fetch(`${server.url}/chatkit`, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.client_secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'threads.list', params: { limit: 5 } }),
        }),
      'GET /api/observability/logs?limit=1': () =>
        fetch(`${server.url}/api/observability/logs?limit=1`, {
          headers: { authorization: `Bearer ${server.apiKey}` },
        }),
    };
    const times = {};
    for (const [name, send] of Object.entries(requests)) {
      times[name] = [];
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const start = performance.now();
        const response = await send();
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${name}: status ${response.status}`);
        if (i >= WARMUP) times[name].push(performance.now() - start);
      }
    }
    return times;
  } finally {
    await server.close();
  }
};
const on = await latency({ ENABLE_TRACING: 'true' });
const off = await latency({ ENABLE_TRACING: 'false' });
for (const name of Object.keys(on)) {
  console.log(`\n${name}, sequential (${REQUESTS} requests each)`);
  console.log(`  tracing on:  p50 ${ms(quantile(on[name], 0.5))}, p95 ${ms(quantile(on[name], 0.95))}`);
  console.log(`  tracing off: p50 ${ms(quantile(off[name], 0.5))}, p95 ${ms(quantile(off[name], 0.95))}`);
  console.log(`  p50 ratio on/off: ${(quantile(on[name], 0.5) / quantile(off[name], 0.5)).toFixed(2)}×`);
}
