/**
 * @module One worker of the sandbox pool: runs calls in QuickJS, one at a time, and asks the pool for
 * what only the host can do (`emit`). `log` is told to the pool; `fetch` runs here, to allowlisted hosts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { QuickJsRunner } from '@cartrita/engine/quickjs';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('The sandbox worker runs only as a worker thread');

const setup = workerData as WorkerSetup;
const runner = new QuickJsRunner(setup.quickjs);
const replies = new Map<number, { resolve(): void; reject(error: Error): void }>();
let nextReply = 1;

const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'reply') {
    const waiting = replies.get(message.replyId);
    replies.delete(message.replyId);
    if (message.error === undefined) waiting?.resolve();
    else waiting?.reject(new Error(message.error));
    return;
  }
  if (message.type === 'check') {
    void runner
      .check(message.code)
      .then((failure) => post({ type: 'checked', id: message.id, failure: failure ?? null }));
    return;
  }
  const { id } = message;
  void runner
    .run({
      code: message.code,
      input: message.input,
      timeoutMs: message.timeoutMs,
      host: {
        log: (level, text, data) =>
          post({ type: 'log', id, level, message: text, ...(data === undefined ? {} : { data }) }),
        ...(message.emit
          ? {
              emit: (eventType: string, data: unknown) =>
                new Promise<void>((resolve, reject) => {
                  const replyId = nextReply++;
                  replies.set(replyId, { resolve, reject });
                  post({ type: 'emit', id, replyId, eventType, data });
                }),
            }
          : {}),
        ...(message.fetchAllowlist ? { fetchAllowlist: message.fetchAllowlist } : {}),
      },
    })
    .then((result) => post({ type: 'result', id, result }));
});

await runner.ready();
post({ type: 'ready' });
