// biome-ignore-all lint/suspicious/noTemplateCurlyInString: module contents write `${variable}` placeholders
import { Message, type ModuleRunReport, WsServerMessage } from '@cartrita/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../testing.js';

// Seed 003's staged pipeline on /ws/chat, over a real socket against the server: a persona's
// template, modules that run after the reply, their stage updates and their reports.

const useServer = async (options: TestServerOptions = {}): Promise<TestServer> => {
  const server = await startTestServer(options);
  onTestFinished(() => server.close());
  return server;
};

/** A user's client secret, and a JSON call with it. */
const user = async (url: string) => {
  const res = await fetch(`${url}/api/chatkit/session`, { method: 'POST' });
  const secret = ((await res.json()) as { client_secret: string }).client_secret;
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const answer = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await answer.json()) as Record<string, unknown>;
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { secret, call };
};

/** A socket whose messages are validated and read in order. */
const connect = async (url: string, secret: string) => {
  const socket = new WebSocket(
    `${url.replace(/^http/, 'ws')}/ws/chat?access_token=${encodeURIComponent(secret)}`,
  );
  const inbox: WsServerMessage[] = [];
  const waiters: (() => void)[] = [];
  socket.addEventListener('message', (event) => {
    inbox.push(WsServerMessage.parse(JSON.parse(String(event.data))));
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('the socket did not open')), { once: true });
  });
  onTestFinished(() => socket.close());
  return {
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    /** The messages received and not yet taken by `until`. */
    received: (): WsServerMessage[] => [...inbox],
    /** Every message up to and including the first of `type`. */
    async until<T extends WsServerMessage['type']>(type: T): Promise<WsServerMessage[]> {
      for (;;) {
        const index = inbox.findIndex((m) => m.type === type);
        if (index >= 0) return inbox.splice(0, index + 1);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
};

const describeMessage = (message: WsServerMessage): string =>
  message.type === 'stage_update' ? `stage:${message.data.stage}:${message.data.status}` : message.type;

/** The messages as a sequence of types and stages, a run of chunks counted once. */
const sequenceOf = (messages: WsServerMessage[]): string[] =>
  messages.map(describeMessage).filter((type, i, all) => type !== 'chunk' || all[i - 1] !== 'chunk');

const last = <T extends WsServerMessage['type']>(messages: WsServerMessage[], type: T) =>
  messages.findLast((m) => m.type === type) as Extract<WsServerMessage, { type: T }>;

/** What a report says, without its timing. */
const withoutTiming = ({ duration_ms: _ms, module_id: _id, ...report }: ModuleRunReport) => report;

/** The stored message, once its after-reply reports are on it (they are saved as the modules end). */
const reportedMessage = async (call: Awaited<ReturnType<typeof user>>['call'], id: string) => {
  for (;;) {
    const message = Message.parse(await call('GET', `/api/messages/${id}`));
    if (message.extra_data?.post_response) return message;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('/ws/chat stages with a persona and after-reply modules', () => {
  it('reports each stage, runs the after-reply modules after done, and keeps their reports on the message', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const { secret, call } = await user(url);
    const persona = await call('POST', '/api/personas', {
      name: 'Forecaster',
      template: 'You are a weather guide.',
      mode: 'reactive',
    });
    await call('POST', '/api/modules', {
      name: 'recap',
      type: 'simple',
      content: 'The user asked: ${message}',
      trigger_pattern: 'rain|snow',
      execution_stage: 'POST_RESPONSE',
    });
    await call('POST', '/api/modules', {
      name: 'length',
      type: 'advanced',
      content: 'The reply had ${chars} characters.',
      script: 'ctx.set_output("chars", ctx.get_variable("response").length)',
      trigger_pattern: 'rain',
      execution_stage: 'POST_RESPONSE',
    });
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'Will it rain tomorrow?', persona_id: persona.id } });
    const messages = await client.until('post_response_complete');
    const order = sequenceOf(messages);
    expect(order).toEqual([
      'session_start',
      'chat_session_start',
      'stage:prompt_resolution:started',
      'stage:prompt_resolution:completed',
      'stage:context:started',
      'stage:context:completed',
      'stage:generation:started',
      'chunk',
      'stage:generation:completed',
      'done',
      'stage:post_response:started',
      'stage:post_response:completed',
      'post_response_complete',
    ]);
    const done = last(messages, 'done');
    const complete = last(messages, 'post_response_complete');
    expect(complete.data.message_id).toBe(done.data.message_id);
    expect(complete.data.modules?.map(withoutTiming)).toEqual([
      {
        name: 'recap',
        type: 'simple',
        stage: 'post_response',
        status: 'completed',
        text: 'The user asked: Will it rain tomorrow?',
        outputs: {},
        logs: [],
        error: null,
      },
      {
        name: 'length',
        type: 'advanced',
        stage: 'post_response',
        status: 'completed',
        text: `The reply had ${done.data.response.length} characters.`,
        outputs: { chars: done.data.response.length },
        logs: [],
        error: null,
      },
    ]);
    const stored = await reportedMessage(call, done.data.message_id);
    expect(stored.content).toBe(done.data.response);
    expect((stored.extra_data as { post_response: { modules: unknown } }).post_response.modules).toEqual(
      complete.data.modules,
    );

    // A message that meets no trigger runs none: the stage still opens and closes, with no reports.
    client.send({ type: 'chat', data: { message: 'Hello', conversation_id: done.data.conversation_id } });
    const quiet = await client.until('post_response_complete');
    expect(last(quiet, 'post_response_complete').data.modules).toEqual([]);
  });

  it('reports a failing after-reply module with its stage and error, and keeps the reply', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const { secret, call } = await user(url);
    await call('POST', '/api/modules', {
      name: 'broken',
      type: 'advanced',
      content: '${x}',
      script: 'throw new Error("the archive is closed")',
      trigger_pattern: 'archive',
      execution_stage: 'POST_RESPONSE',
    });
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'Save this to the archive' } });
    const messages = await client.until('post_response_complete');
    const done = last(messages, 'done');
    expect(done.data.response).toContain('Save this to the archive');
    expect(last(messages, 'post_response_complete').data.modules?.map(withoutTiming)).toEqual([
      {
        name: 'broken',
        type: 'advanced',
        stage: 'post_response',
        status: 'failed',
        text: null,
        outputs: {},
        logs: [],
        error: 'runtime: Error: the archive is closed',
      },
    ]);
    expect((await reportedMessage(call, done.data.message_id)).content).toBe(done.data.response);
  });

  it('stops the after-reply modules on cancel, answering cancelled, keeping the reply and freeing the worker', async () => {
    const { url, running } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const { secret, call } = await user(url);
    await call('POST', '/api/modules', {
      name: 'endless',
      type: 'advanced',
      content: 'never',
      script: 'for (;;) {}',
      trigger_pattern: 'loop',
      execution_stage: 'POST_RESPONSE',
    });
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'Run the loop' } });
    const answered = await client.until('done');
    const done = last(answered, 'done');
    client.send({ type: 'cancel' });
    const rest = await client.until('cancelled');
    expect(rest.map(describeMessage)).toEqual(['stage:post_response:started', 'cancelled']);
    expect(last(rest, 'cancelled').data.message_id).toBe(done.data.message_id);
    const stored = await reportedMessage(call, done.data.message_id);
    expect(stored.content).toBe(done.data.response);
    const reports = (stored.extra_data as { post_response: { modules: ModuleRunReport[] } }).post_response
      .modules;
    expect(reports.map(({ name, stage, status, error }) => ({ name, stage, status, error }))).toEqual([
      { name: 'endless', stage: 'post_response', status: 'cancelled', error: 'Cancelled by the client.' },
    ]);
    // The endless script's worker was stopped, not left spinning until the script's deadline.
    expect(running.context.engine.sandbox.stats()).toMatchObject({ busy: 0, queued: 0 });
  });

  it('reports prompt resolution as it runs: started while the template’s script runs, not completed before it ends', async () => {
    const { url, running } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const { secret, call } = await user(url);
    await call('POST', '/api/modules', {
      name: 'slow',
      type: 'advanced',
      content: '-',
      script: 'for (;;) {}',
    });
    const persona = await call('POST', '/api/personas', {
      name: 'Slow',
      template: '@slow',
      mode: 'reactive',
    });
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'Hello', persona_id: persona.id } });
    const { sandbox } = running.context.engine;
    while (sandbox.stats().busy === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The script is running: the stage has started, and nothing past it has been told.
    for (;;) {
      const seen = client.received().map(describeMessage);
      if (seen.includes('stage:prompt_resolution:started')) {
        expect(seen).toEqual(['session_start', 'chat_session_start', 'stage:prompt_resolution:started']);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    client.send({ type: 'cancel' });
    const rest = await client.until('cancelled');
    expect(rest.map(describeMessage)).toEqual([
      'session_start',
      'chat_session_start',
      'stage:prompt_resolution:started',
      'cancelled',
    ]);
  });

  it('reports a failing template module as prompt resolution’s failure, before the first chunk, and keeps the reply', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const { secret, call } = await user(url);
    await call('POST', '/api/modules', {
      name: 'weather',
      type: 'advanced',
      content: 'Today: ${sky}.',
      script: 'throw new Error("the station is offline")',
    });
    await call('POST', '/api/modules', { name: 'tone', type: 'simple', content: 'Be brief.' });
    const persona = await call('POST', '/api/personas', {
      name: 'Reporter',
      template: '@tone @weather',
      mode: 'reactive',
    });
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'What is the sky like?', persona_id: persona.id } });
    const messages = await client.until('post_response_complete');
    const order = sequenceOf(messages);
    expect(order).toEqual([
      'session_start',
      'chat_session_start',
      'stage:prompt_resolution:started',
      'stage:prompt_resolution:failed',
      'stage:context:started',
      'stage:context:completed',
      'stage:generation:started',
      'chunk',
      'stage:generation:completed',
      'done',
      'stage:post_response:started',
      'stage:post_response:completed',
      'post_response_complete',
    ]);
    const failed = messages.find((m) => m.type === 'stage_update' && m.data.status === 'failed') as Extract<
      WsServerMessage,
      { type: 'stage_update' }
    >;
    expect(failed.data).toEqual({
      chat_session_id: last(messages, 'chat_session_start').data.chat_session_id,
      stage: 'prompt_resolution',
      status: 'failed',
      error: '@weather: runtime: Error: the station is offline',
    });
    const done = last(messages, 'done');
    expect(done.data.response).toContain('What is the sky like?');
    const stored = Message.parse(await call('GET', `/api/messages/${done.data.message_id}`));
    expect(stored.content).toBe(done.data.response);
  });

  it('reports the after-reply stage failed, naming the module and its error, after the reply', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const { secret, call } = await user(url);
    await call('POST', '/api/modules', {
      name: 'archive',
      type: 'advanced',
      content: '${x}',
      script: 'throw new Error("the archive is closed")',
      trigger_pattern: 'archive',
      execution_stage: 'POST_RESPONSE',
    });
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'Save this to the archive' } });
    const messages = await client.until('post_response_complete');
    const tail = messages.slice(messages.findIndex((m) => m.type === 'done'));
    expect(tail.map(describeMessage)).toEqual([
      'done',
      'stage:post_response:started',
      'stage:post_response:failed',
      'post_response_complete',
    ]);
    expect((tail[2] as Extract<WsServerMessage, { type: 'stage_update' }>).data.error).toBe(
      '@archive: runtime: Error: the archive is closed',
    );
  });

  it('stops a persona template’s script on a cancel during prompt resolution', async () => {
    const { url, running } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const { secret, call } = await user(url);
    await call('POST', '/api/modules', {
      name: 'stuck',
      type: 'advanced',
      content: '-',
      script: 'for (;;) {}',
    });
    const persona = await call('POST', '/api/personas', {
      name: 'Stuck',
      template: '@stuck',
      mode: 'reactive',
    });
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'Hello', persona_id: persona.id } });
    const started = last(await client.until('chat_session_start'), 'chat_session_start');
    const { sandbox, chat } = running.context.engine;
    while (sandbox.stats().busy === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    client.send({ type: 'cancel' });
    const cancelled = last(await client.until('cancelled'), 'cancelled');
    expect(cancelled.data.chat_session_id).toBe(started.data.chat_session_id);
    while (chat.running > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The script's worker was stopped: its call never ran to an end (a finished call would count).
    expect(sandbox.stats()).toMatchObject({ busy: 0, queued: 0, calls: 0 });
  });
});
