// Benchmark: the cost of a resume. Each resume opens a new TCP connection (as a client does after a
// drop) to GET /api/chat/stream with Last-Event-ID and measures the time from connecting to the first
// replayed frame: for a reply that is still running (its frames come from memory) and for one that has
// finished (its frames come from the durable log), on SQLite. Bounded: a fixed number of resumes each.
import { request } from 'node:http';
import { startTestServer } from '../reference-server/dist/testing.js';
import { ms, quantile } from './stats.mjs';

const RESUMES = 50;
const WARMUP = 5;

/** Opens a fresh connection with Last-Event-ID and resolves the time to the first frame's data. */
const resumeOnce = (url, secret, lastEventId) =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(
      `${url}/api/chat/stream`,
      {
        agent: false,
        headers: {
          authorization: `Bearer ${secret}`,
          'last-event-id': lastEventId,
          accept: 'text/event-stream',
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`status ${res.statusCode}`));
          res.resume();
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
          if (/^id: [^\n]+\ndata: [^\n]+\n\n/m.test(text)) {
            const elapsed = performance.now() - start;
            req.destroy();
            resolve(elapsed);
          }
        });
        res.on('end', () => reject(new Error('the stream ended before a frame')));
      },
    );
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
    req.end();
  });

/** Starts a reply and resolves its response id once its first frames are in; leaves it running. */
const startReply = async (url, secret, message) => {
  const res = await fetch(`${url}/api/chat/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ message }),
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!/"type":"chunk"/.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
  return { responseId: /"response_id":"(resp_[0-9a-f]+)"/.exec(text)[1], reader };
};

const measure = async (label, url, secret, lastEventId) => {
  for (let i = 0; i < WARMUP; i++) await resumeOnce(url, secret, lastEventId);
  const times = [];
  for (let i = 0; i < RESUMES; i++) times.push(await resumeOnce(url, secret, lastEventId));
  console.log(
    `  ${label.padEnd(50)} p50 ${ms(quantile(times, 0.5)).padStart(9)}   p95 ${ms(quantile(times, 0.95)).padStart(9)}`,
  );
};

// A live reply: 100 ms between tokens, so it is still running through every resume.
const live = await startTestServer({ env: { DEMO_PACE_MS: '100' } });
const finished = await startTestServer();
try {
  console.log(
    `Resume cost: new connection to the first replayed frame, ${RESUMES} resumes each (SQLite, loopback)`,
  );
  const liveSecret = (await (await fetch(`${live.url}/api/chatkit/session`, { method: 'POST' })).json())
    .client_secret;
  const running = await startReply(live.url, liveSecret, 'A long answer, please.');
  await measure('a live reply (frames from memory)', live.url, liveSecret, `${running.responseId}:1`);
  await running.reader.cancel();

  const secret = (await (await fetch(`${finished.url}/api/chatkit/session`, { method: 'POST' })).json())
    .client_secret;
  const done = await startReply(finished.url, secret, 'A long answer, please.');
  while (!(await done.reader.read()).done) {
    // Read the reply to its end.
  }
  // The reply's books are closed a moment after its last frame; from then on it is read from the log.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await measure(
    'a finished reply (frames from the durable log)',
    finished.url,
    secret,
    `${done.responseId}:1`,
  );
  const last = `${done.responseId}:60`;
  await measure('a finished reply, from frame 60 (fewer to read)', finished.url, secret, last);
  const baseline = [];
  for (let i = 0; i < RESUMES; i++) {
    const start = performance.now();
    await new Promise((resolve, reject) => {
      const req = request(`${finished.url}/health`, { agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    baseline.push(performance.now() - start);
  }
  console.log(
    `  ${'for scale: GET /health on a new connection'.padEnd(50)} p50 ${ms(quantile(baseline, 0.5)).padStart(9)}   p95 ${ms(quantile(baseline, 0.95)).padStart(9)}`,
  );
} finally {
  await live.close();
  await finished.close();
}
