// biome-ignore-all lint/suspicious/noTemplateCurlyInString: module contents write `${variable}` placeholders
// Benchmark: cancellation latency on /ws/chat (seed 003 promises under 100 ms; we aim for p99 < 10 ms).
// The server runs here; the client runs in a worker thread (its own event loop, as a real client
// has). One socket per phase, CHATS chats in turn, timed from sending `cancel` to receiving
// `cancelled`, in three phases of the same run:
//  1. no persona: cancel after a few chunks of the reply;
//  2. a persona whose template pulls in a module, a module the message triggers into the prompt, and
//     two after-reply modules (one a script): cancel after a few chunks of the reply;
//  3. the same persona and modules: cancel once `done` came and the after-reply stage started,
//     while the script module runs in the sandbox.
// The demo provider is wrapped so that each turn's provider request records when its AbortSignal
// fired: in phases 1–2 a sample counts as confirmed only when the provider request was aborted
// before `cancelled` arrived; in phase 3 only when `cancelled` (not `post_response_complete`)
// ended the chat and the stored report says the script module was cancelled. The engine's cancel
// is wrapped too, to split each sample: the wait before the server's event loop read the `cancel`,
// the server's own handling (aborting the turn; `cancelled` is written right after), and the wait
// before the client's event loop read `cancelled`. Bounded: a fixed number of chats.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const CHATS = 200;
const WARM_UP = 10;
const CHUNKS_BEFORE_CANCEL = 3;
/** How long the after-reply script works, so that the cancel lands while it runs. */
const SCRIPT_WORK_MS = 30;

/** Milliseconds on a clock shared by both threads. */
const clock = () => performance.timeOrigin + performance.now();

if (isMainThread) {
  const { startTestServer } = await import('../reference-server/dist/testing.js');
  const { ms, quantile } = await import('./stats.mjs');
  const server = await startTestServer({ env: { DEMO_PACE_MS: '2', WS_CONNECTIONS_PER_MINUTE: '0' } });
  try {
    // The engine calls this very object for every demo turn; record when each request is aborted.
    const demo = server.running.context.engine.providers.byName('demo');
    const stream = demo.stream.bind(demo);
    const probes = [];
    demo.stream = (request) => {
      const probe = { abortedAt: undefined };
      probes.push(probe);
      request.signal.addEventListener('abort', () => {
        probe.abortedAt = clock();
      });
      return stream(request);
    };
    // The socket door calls this very service for every `cancel`: record when, and for how long.
    const chat = server.running.context.engine.chat;
    const cancelChat = chat.cancel.bind(chat);
    const handled = [];
    chat.cancel = (...args) => {
      const at = clock();
      const result = cancelChat(...args);
      handled.push({ at, took: clock() - at });
      return result;
    };
    const session = await (await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' })).json();
    const call = async (method, path, body) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${session.client_secret}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const persona = await call('POST', '/api/personas', {
      name: 'Bench',
      template: 'You are @voice.',
      mode: 'reactive',
    });
    await call('POST', '/api/modules', { name: 'voice', type: 'simple', content: 'brief and kind' });
    await call('POST', '/api/modules', {
      name: 'hint',
      type: 'simple',
      content: 'Number your takes.',
      trigger_pattern: 'take',
    });
    await call('POST', '/api/modules', {
      name: 'recap',
      type: 'simple',
      content: 'Answered: ${response}',
      trigger_pattern: 'take',
      execution_stage: 'POST_RESPONSE',
    });
    await call('POST', '/api/modules', {
      name: 'tally',
      type: 'advanced',
      content: '${words} words',
      script: `const until = Date.now() + ${SCRIPT_WORK_MS}; while (Date.now() < until) {}
ctx.set_output('words', ctx.get_variable('response').split(' ').length);`,
      trigger_pattern: 'take',
      execution_stage: 'POST_RESPONSE',
    });
    const url = `${server.url.replace(/^http/, 'ws')}/ws/chat?access_token=${encodeURIComponent(session.client_secret)}`;
    const phase = async (mode, personaId) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { url, mode, personaId } });
      const samples = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      const calls = handled.splice(0);
      // Matched by time: a chat that ended before its cancel arrived has no call.
      return samples.slice(WARM_UP).map((sample) => ({
        ...sample,
        handled: calls.find((call) => call.at >= sample.sentAt && call.at <= sample.receivedAt),
      }));
    };
    const report = (title, samples, confirmed, what) => {
      const latencies = samples.map((sample) => sample.receivedAt - sample.sentAt);
      console.log(title);
      console.log(
        `  p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`,
      );
      const split = (part) => {
        const values = samples.filter((sample) => sample.handled).map(part);
        return `p50 ${ms(quantile(values, 0.5))}, p99 ${ms(quantile(values, 0.99))}`;
      };
      console.log(`  until the server read the cancel: ${split((s) => s.handled.at - s.sentAt)}`);
      console.log(`  the server's handling until cancelled is written: ${split((s) => s.handled.took)}`);
      console.log(
        `  until the client read cancelled: ${split((s) => s.receivedAt - s.handled.at - s.handled.took)}`,
      );
      console.log(`  ${what}: ${confirmed}/${CHATS}`);
      if (confirmed !== CHATS) process.exitCode = 1;
    };
    const abortedInTime = (samples, firstProbe) =>
      samples.filter((sample, i) => {
        const abortedAt = probes[firstProbe + WARM_UP + i]?.abortedAt;
        return abortedAt !== undefined && abortedAt <= sample.receivedAt;
      }).length;

    const plain = await phase('reply');
    report(
      `/ws/chat cancel → cancelled, demo provider at pace 2 ms, ${CHATS} chats on one socket, no persona`,
      plain,
      abortedInTime(plain, 0),
      'provider request aborted before `cancelled` arrived',
    );
    const withPersona = await phase('reply', persona.id);
    report(
      `/ws/chat cancel during the reply, a persona with 4 modules (2 run after the reply), ${CHATS} chats`,
      withPersona,
      abortedInTime(withPersona, WARM_UP + CHATS),
      'provider request aborted before `cancelled` arrived',
    );
    const afterReply = await phase('after-reply', persona.id);
    let stopped = 0;
    for (const sample of afterReply) {
      if (!sample.cancelled) continue;
      for (;;) {
        const message = await call('GET', `/api/messages/${sample.messageId}`);
        const modules = message.extra_data?.post_response?.modules;
        if (modules) {
          if (modules.find((module) => module.name === 'tally')?.status === 'cancelled') stopped += 1;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    report(
      `/ws/chat cancel during the after-reply modules (a ${SCRIPT_WORK_MS} ms script in the sandbox), ${CHATS} chats`,
      afterReply,
      stopped,
      'chat ended by `cancelled` with the script module reported cancelled',
    );
  } finally {
    await server.close();
  }
} else {
  const { url, mode, personaId } = workerData;
  const socket = new WebSocket(url);
  const inbox = [];
  const waiting = [];
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    message.receivedAt = clock();
    inbox.push(message);
    for (const wake of waiting.splice(0)) wake();
  };
  socket.onclose = () => {
    for (const wake of waiting.splice(0)) wake();
  };
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error('The benchmark socket did not open'));
  });
  /** The next message of one of the types, dropping those before it. */
  const next = async (...types) => {
    for (;;) {
      const index = inbox.findIndex(
        (message) => types.includes(message.type) || types.includes(`${message.type}:${message.data?.stage}`),
      );
      if (index >= 0) return inbox.splice(0, index + 1).at(-1);
      if (socket.readyState !== WebSocket.OPEN) throw new Error(`The socket closed before a ${types}`);
      await new Promise((resolve) => waiting.push(resolve));
    }
  };
  const samples = [];
  for (let i = 0; i < WARM_UP + CHATS; i++) {
    const data = { message: `Tell me something, take ${i}`, ...(personaId ? { persona_id: personaId } : {}) };
    socket.send(JSON.stringify({ type: 'chat', data }));
    const started = await next('chat_session_start');
    if (mode === 'reply') {
      for (let n = 0; n < CHUNKS_BEFORE_CANCEL; n++) await next('chunk');
    } else {
      await next('done');
      await next('stage_update:post_response');
    }
    const sentAt = clock();
    socket.send(JSON.stringify({ type: 'cancel', session_id: started.data.chat_session_id }));
    const ended = await next('cancelled', 'post_response_complete');
    if (ended.data.chat_session_id !== started.data.chat_session_id)
      throw new Error('cancelled the wrong chat');
    samples.push({
      sentAt,
      receivedAt: ended.receivedAt,
      cancelled: ended.type === 'cancelled',
      messageId: started.data.message_id,
    });
  }
  socket.close();
  parentPort.postMessage(samples);
}
