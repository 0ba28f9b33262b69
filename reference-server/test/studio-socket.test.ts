import { filesTopic } from '@cartrita/engine';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing.js';

// `WS /ws/{client_id}` (seed 004) on the real server: a subscribed session's turns arrive as they
// run, and the caller's files as the pipeline publishes them.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Message = Record<string, unknown> & { type: string };

const user = 'studio-user';
const headers = () => ({
  'x-api-key': server.apiKey,
  'x-cartrita-user': user,
  'content-type': 'application/json',
});

const open = async (clientId: string) => {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws/${clientId}`, {
    headers: headers(),
  } as never);
  const messages: Message[] = [];
  socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
  onTestFinished(() => socket.close());
  await expect.poll(() => messages[0]).toEqual({ type: 'connected', client_id: clientId });
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  const until = (predicate: (message: Message) => boolean) =>
    expect.poll(() => messages.some(predicate), { timeout: 10_000 }).toBe(true);
  return { socket, messages, send, until };
};

const chat = async (message: string, sessionId?: string) => {
  const response = await fetch(`${server.url}/chat/`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ message, ...(sessionId ? { session_id: sessionId } : {}) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { session_id: string; response: string };
};

describe('WS /ws/{client_id}', () => {
  it('answers ping, and an error for what the protocol does not take', async () => {
    const { socket, messages, send, until } = await open('dash-ping');
    send({ type: 'ping' });
    send({ type: 'subscribe' });
    socket.send('not json at all');
    await until(
      (message) => message.type === 'error' && messages.filter((m) => m.type === 'error').length === 2,
    );
    expect(messages.slice(1).map((message) => message.type)).toEqual(['pong', 'error', 'error']);
    expect(messages.slice(2).map((message) => (message.error as { code: string }).code)).toEqual([
      'VALIDATION_ERROR',
      'INVALID_JSON',
    ]);
  });

  it('streams a subscribed session’s turn: its reply, stages, plan and what it used', async () => {
    const { session_id } = await chat('Hello');
    const { messages, send, until } = await open('dash-chat');
    send({ type: 'subscribe', session_id });
    await until((message) => message.type === 'subscribed');
    const answer = await chat('/progress', session_id);
    await until((message) => message.type === 'execution_monitoring_update');
    const ofTurn = messages.filter(
      (message) => message.session_id === session_id && message.type !== 'subscribed',
    );
    const updates = ofTurn.filter((message) => message.type === 'chat_update');
    const pieces = updates.filter((message) => !message.is_complete).map((message) => message.message);
    expect(pieces.join('')).toBe(answer.response);
    expect(updates.at(-1)).toMatchObject({ is_complete: true, message: answer.response });
    const stages = ofTurn.filter((message) => message.type === 'agent_execution_update');
    expect(stages[0]).toMatchObject({ stage: 'started', detail: null });
    expect(stages.at(-1)).toMatchObject({ stage: 'completed', detail: null });
    expect(new Set(stages.map((stage) => stage.stage))).toEqual(
      new Set(['started', 'step', 'streaming', 'completed']),
    );
    const plans = ofTurn.filter((message) => message.type === 'plan_graph_update');
    const finalPlan = plans.at(-1) as unknown as {
      nodes: { id: string; status: string }[];
      edges: unknown[];
    };
    expect(finalPlan.nodes.map((node) => node.id)).toEqual(
      expect.arrayContaining(['input', 'model', 'step-1', 'reply']),
    );
    expect(new Set(finalPlan.nodes.map((node) => node.status))).toEqual(new Set(['done']));
    expect(finalPlan.edges).toHaveLength(finalPlan.nodes.length - 1);
    expect(ofTurn.at(-1)).toMatchObject({
      type: 'execution_monitoring_update',
      provider: 'demo',
      status: 'completed',
      characters: answer.response.length,
    });
    expect((ofTurn.at(-1) as unknown as { chunks: number }).chunks).toBeGreaterThan(0);
  });

  it('stops a session’s updates after unsubscribe', async () => {
    const { session_id } = await chat('First');
    const other = await chat('Other session');
    const { messages, send, until } = await open('dash-unsub');
    send({ type: 'subscribe', session_id });
    send({ type: 'subscribe', session_id: other.session_id });
    await until((message) => message.type === 'subscribed' && message.session_id === other.session_id);
    send({ type: 'unsubscribe', session_id });
    await until((message) => message.type === 'unsubscribed');
    await chat('Second', session_id);
    await chat('Then the other', other.session_id);
    await until((message) => message.type === 'execution_monitoring_update');
    expect(
      messages.filter((message) => message.session_id === session_id).map((message) => message.type),
    ).toEqual(['subscribed', 'unsubscribed']);
  });

  it('forwards the caller’s file updates from the bus, and drops what breaks their schema', async () => {
    const { messages, until } = await open('dash-files');
    const bus = server.running.context.engine.bus;
    await bus.publish(filesTopic(user), { type: 'file_processing_update', file_id: 'bad' });
    await bus.publish(filesTopic('someone-else'), {
      type: 'file_processing_update',
      file_id: 'file_theirs',
      filename: 'theirs.pdf',
      status: 'processing',
      progress: 10,
      chunks_created: 0,
      error: null,
    });
    const update = {
      type: 'file_processing_update',
      file_id: 'file_1',
      filename: 'report.pdf',
      status: 'processing',
      progress: 40,
      chunks_created: 3,
      error: null,
    };
    await bus.publish(filesTopic(user), update);
    await until((message) => message.type === 'file_processing_update');
    expect(messages.slice(1)).toEqual([update]);
  });

  it('answers a plain GET with 426 (and 401 without a credential)', async () => {
    expect((await fetch(`${server.url}/ws/dash-1`)).status).toBe(401);
    expect((await fetch(`${server.url}/ws/dash-1`, { headers: headers() })).status).toBe(426);
  });
});
