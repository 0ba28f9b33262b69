import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Trace } from '@cartrita/contracts';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { startTestServer } from '../src/testing.js';
import { attributeValue, langfuseHandler } from './mocks/langfuse.js';
import { listenBesideLoopback } from './mocks/listen.js';
import { openaiHandlers } from './mocks/openai.js';

const LANGFUSE = 'https://langfuse.test';
const publicKey = 'pk-lf-0123456789';
const secretKey = 'sk-lf-abcdef0123456789';

// The server runs in this process, so MSW sees its exports to Langfuse; requests to the server pass.
// MSW patches the `http` and `https` modules' functions; the OTLP exporter imports those modules as
// ES modules, whose named exports follow the patched functions once they are synced.
const mocks = setupServer();
beforeAll(() => {
  listenBesideLoopback(mocks);
  syncBuiltinESMExports();
});
afterAll(() => {
  mocks.close();
  syncBuiltinESMExports();
});

const logFile = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cartrita-langfuse-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'server.log');
};

const start = (file: string) =>
  startTestServer({
    env: {
      LANGFUSE_PUBLIC_KEY: publicKey,
      LANGFUSE_SECRET_KEY: secretKey,
      LANGFUSE_BASE_URL: LANGFUSE,
      LOG_LEVEL: 'info',
      LOG_FILE: file,
    },
  });

it('sends the spans a request records to Langfuse, with Basic auth of the keys', async () => {
  const langfuse = langfuseHandler({ baseURL: LANGFUSE });
  mocks.use(langfuse.handler);
  const file = await logFile();
  const server = await start(file);
  const response = await fetch(`${server.url}/api/observability/logs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ level: 'info', message: 'to langfuse', session_id: 'sess_lf' }),
  });
  expect(response.status).toBe(201);
  const traceId = response.headers.get('x-trace-id');
  // A clean stop sends what is batched.
  await server.close();

  expect(langfuse.received.length).toBeGreaterThan(0);
  for (const { headers } of langfuse.received) {
    expect(headers.get('authorization')).toBe(`Basic ${btoa(`${publicKey}:${secretKey}`)}`);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('x-langfuse-ingestion-version')).toBe('4');
  }
  const resource = langfuse.received[0]?.body.resourceSpans[0]?.resource.attributes;
  expect(resource?.find((attribute) => attribute.key === 'service.name')?.value.stringValue).toBe('cartrita');
  const request = langfuse.spans.find((span) => span.traceId === traceId);
  expect(request?.name).toBe('POST /api/observability/logs');
  expect(request?.kind).toBe(2);
  expect(attributeValue(request!, 'cartrita.route_id')).toBe('observability.logs.create');
  expect(Number(attributeValue(request!, 'http.response.status_code'))).toBe(201);
  const log = await readFile(file, 'utf8');
  expect(log).not.toContain(secretKey);
  expect(log).not.toContain(btoa(`${publicKey}:${secretKey}`));
});

it('keeps storing spans when Langfuse refuses them, and logs the failure without the keys', async () => {
  const langfuse = langfuseHandler({ baseURL: LANGFUSE, status: 401 });
  mocks.use(langfuse.handler);
  const file = await logFile();
  const server = await start(file);
  const response = await fetch(`${server.url}/api/observability/logs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ level: 'info', message: 'refused upstream' }),
  });
  const traceId = response.headers.get('x-trace-id');
  const trace = await fetch(`${server.url}/api/observability/traces/${traceId}`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  expect(trace.status).toBe(200);
  expect(Trace.parse(await trace.json()).spans.map((span) => span.name)).toEqual([
    'POST /api/observability/logs',
  ]);
  await server.close();

  expect(langfuse.spans.some((span) => span.traceId === traceId)).toBe(true);
  const lines = (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { level: number; msg: string });
  expect(lines.some((line) => line.msg === 'Sending spans to Langfuse failed' && line.level === 40)).toBe(
    true,
  );
  const log = lines.map((line) => JSON.stringify(line)).join('\n');
  expect(log).not.toContain(secretKey);
  expect(log).not.toContain(btoa(`${publicKey}:${secretKey}`));
});

it('sends every provider call to Langfuse as a GenAI span under its request, with LANGFUSE_HOST', async () => {
  const langfuse = langfuseHandler({ baseURL: LANGFUSE });
  mocks.use(
    langfuse.handler,
    ...openaiHandlers({ baseURL: 'https://api.openai.com/v1', tokens: ['Hi', '!'] }),
  );
  const server = await startTestServer({
    env: {
      LANGFUSE_PUBLIC_KEY: publicKey,
      LANGFUSE_SECRET_KEY: secretKey,
      LANGFUSE_HOST: LANGFUSE,
      OPENAI_API_KEY: 'sk-test-0123456789abcdef',
      OPENAI_MODEL: 'gpt-4o-mini',
    },
  });
  const response = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Hello', provider: 'openai', parameters: { temperature: 0.3 } }),
  });
  expect(response.status).toBe(200);
  const traceId = response.headers.get('x-trace-id');
  await server.close();

  for (const { headers } of langfuse.received) {
    expect(headers.get('authorization')).toBe(`Basic ${btoa(`${publicKey}:${secretKey}`)}`);
  }
  const request = langfuse.spans.find((span) => span.traceId === traceId && span.name === 'POST /api/chat');
  const call = langfuse.spans.find((span) => span.traceId === traceId && span.name === 'chat gpt-4o-mini');
  expect(call?.parentSpanId).toBe(request?.spanId);
  const attributes = Object.fromEntries(
    [
      'gen_ai.system',
      'gen_ai.operation.name',
      'gen_ai.request.model',
      'cartrita.kind',
      'cartrita.provider',
    ].map((key) => [key, attributeValue(call!, key)]),
  );
  expect(attributes).toEqual({
    'gen_ai.system': 'openai',
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'cartrita.kind': 'provider',
    'cartrita.provider': 'openai',
  });
  expect(Number(attributeValue(call!, 'gen_ai.request.temperature'))).toBe(0.3);
  expect(Number(attributeValue(call!, 'gen_ai.usage.input_tokens'))).toBeGreaterThan(0);
  expect(Number(attributeValue(call!, 'gen_ai.usage.output_tokens'))).toBe(2);
});
