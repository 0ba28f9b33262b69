// Benchmark: streaming at scale. Starts the built reference server (demo provider, every reply a
// durable frame log) and a bare Node `http` SSE server in child processes, drives both with the same
// client, and prints the ratios.
//
//   throughput:  N streams on POST /api/chat/stream, a frame every 10 ms each; frames/s delivered, and
//                the same on each other streaming door (`--doors=chat,chatkit,ws`; all by default)
//   concurrency: N streams opened at once, a frame every 400 ms; time until the last one opened, server
//                memory per open stream, and GET /health latency while they open and once all are open
//
// `node bench/stream-scale.mjs [throughput|concurrency] [--streams=500,100] [--open=1000,5000]
//  [--doors=api,chat,chatkit,ws]`.
// Bounded: each load runs a fixed number of seconds, and every stream is closed at the end.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, quantile } from './stats.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const arg = args.find((a) => a.startsWith(`--${name}=`) && name !== 'profile');
  return arg
    ? arg
        .slice(name.length + 3)
        .split(',')
        .map(Number)
    : fallback;
};
const loads = args.filter((a) => !a.startsWith('--'));
const runs = (name) => loads.length === 0 || loads.includes(name);
const THROUGHPUT_STREAMS = option('streams', [500, 100]);
const OPEN_STREAMS = option('open', [1000, 2000, 5000]);
const WINDOW_MS = option('window', [8000])[0];
const DOORS = args
  .find((a) => a.startsWith('--doors='))
  ?.slice('--doors='.length)
  .split(',') ?? ['api', 'chat', 'chatkit', 'ws'];

const cli = fileURLToPath(new URL('../reference-server/dist/cli.js', import.meta.url));
// `--profile=<dir>` writes a CPU profile of the server there (`node --cpu-prof`) when it stops.
const profileDir = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
const serverArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, cli] : [cli];

/** Starts a program as a child and resolves with its URL once it prints `listening on <url>`. */
const startChild = (argv, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (data) => {
      output += data;
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, url: match[1].replace(/\/+$/, ''), output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (data) => {
      output += data;
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });

const stop = async ({ child }) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A profiled server must exit by itself to write its profile.
  child.kill(profileDir ? 'SIGTERM' : 'SIGKILL');
  await exited;
};

/**
 * The bare server: one timer per stream writing a frame of the same shape as the server's chunks, so
 * the comparison is the cost of the engine, the log and the framework, not of the bytes.
 */
const bareProgram = `
import http from 'node:http';
const server = http.createServer((req, res) => {
  if (req.url === '/health') { res.end('{"status":"ok"}'); return; }
  req.resume();
  req.on('end', () => {
    const query = new URL(req.url, 'http://x').searchParams;
    const pace = Number(query.get('pace') ?? 10);
    const frames = Number(query.get('frames') ?? 1e9);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let seq = 0;
    const id = 'resp_' + Math.random().toString(16).slice(2, 10);
    const timer = setInterval(() => {
      if (++seq > frames) { clearInterval(timer); res.end(); return; }
      res.write('id: ' + id + ':' + seq + '\\ndata: ' + JSON.stringify({ type: 'chunk', content: ' word' }) + '\\n\\n');
    }, pace);
    res.on('close', () => clearInterval(timer));
  });
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 8192 }, () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

/** Asks `GET <argv[1]>` every 100 ms and prints `[sent at (epoch ms), took (ms)]` for each answer. */
const probeProgram = `
const url = process.argv[1];
for (;;) {
  const sentAt = Date.now();
  const start = performance.now();
  await fetch(url).then((res) => res.text());
  console.log(JSON.stringify([sentAt, performance.now() - start]));
  await new Promise((resolve) => setTimeout(resolve, 100));
}
`;

const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

/**
 * Opens one SSE stream and counts its frames (blank-line separated blocks) as they arrive.
 * `opened` resolves at the first frame (false when refused), `ended` when the stream ends.
 */
const openStream = (url, { body, headers }, counter) => {
  const { promise: openedPromise, resolve: opened } = Promise.withResolvers();
  const { promise: endedPromise, resolve: ended } = Promise.withResolvers();
  const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
    if (response.statusCode !== 200) {
      counter.refused.set(response.statusCode, (counter.refused.get(response.statusCode) ?? 0) + 1);
      response.resume();
      opened(false);
      ended(0);
      return;
    }
    let last = 0;
    let frames = 0;
    response.on('data', (chunk) => {
      // Count "\n\n" boundaries, including one split across two chunks.
      let count = last === 10 && chunk[0] === 10 ? 1 : 0;
      for (let i = chunk.indexOf(10); i !== -1 && i < chunk.length - 1; i = chunk.indexOf(10, i + 1))
        if (chunk[i + 1] === 10) count++;
      last = chunk[chunk.length - 1];
      counter.frames += count;
      if (frames === 0 && count > 0) opened(true);
      frames += count;
    });
    response.on('end', () => ended(frames));
    response.on('error', () => ended(frames));
  });
  request.on('error', (error) => {
    counter.errors.set(error.code, (counter.errors.get(error.code) ?? 0) + 1);
    opened(false);
    ended(0);
  });
  request.end(body);
  return { opened: openedPromise, ended: endedPromise, close: () => request.destroy() };
};

/**
 * Opens `/ws/chat`, sends one chat and counts the socket's messages until the chat is over (each
 * `chunk` is a frame, as on the SSE doors); the socket then closes, as a stream would end.
 */
const openSocket = (url, { message }, counter) => {
  const { promise: openedPromise, resolve: opened } = Promise.withResolvers();
  const { promise: endedPromise, resolve: ended } = Promise.withResolvers();
  const socket = new WebSocket(url);
  let frames = 0;
  const finish = (ok) => {
    opened(ok);
    ended(frames);
    socket.close();
  };
  socket.onopen = () => socket.send(JSON.stringify({ type: 'chat', data: { message } }));
  socket.onmessage = (event) => {
    const type = JSON.parse(event.data).type;
    counter.frames++;
    if (frames++ === 0) opened(true);
    if (type === 'post_response_complete' || type === 'cancelled') finish(true);
    else if (type === 'error') {
      counter.errors.set('ws error', (counter.errors.get('ws error') ?? 0) + 1);
      finish(false);
    }
  };
  socket.onerror = () => {
    counter.errors.set('ws failed', (counter.errors.get('ws failed') ?? 0) + 1);
    finish(false);
  };
  socket.onclose = () => finish(frames > 0);
  return { opened: openedPromise, ended: endedPromise, close: () => socket.close() };
};

/**
 * Keeps `streams` streams open: each one that ends is replaced by a new one, as a busy site's
 * replies follow each other. Resolves with a function that stops replacing them and closes them.
 */
const sustain = (target, streams, counter) => {
  let stopped = false;
  const live = new Set();
  const open = (i) => {
    if (stopped) return;
    const stream = (target(i).socket ? openSocket : openStream)(target(i).url, target(i), counter);
    live.add(stream);
    stream.ended.then(() => {
      live.delete(stream);
      open(i);
    });
  };
  for (let i = 0; i < streams; i++) open(i);
  return () => {
    stopped = true;
    for (const stream of live) stream.close();
  };
};

const newCounter = () => ({ frames: 0, refused: new Map(), errors: new Map() });

/** One client secret per 10 streams, so no single user holds them all. */
const secrets = async (url, count) => {
  const out = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/api/chatkit/session`, { method: 'POST' });
    out.push((await res.json()).client_secret);
  }
  return out;
};

const PROMPT = '/long';

const doorLabels = { chat: 'POST /chat/stream', chatkit: 'POST /chatkit', ws: 'GET /ws/chat' };

/** The frames of one reply to PROMPT, so the bare server's streams are as long. */
const replyFrames = async (target) => {
  const counter = newCounter();
  return openStream(target(0).url, target(0), counter).ended;
};

/** What each door is sent for one reply to PROMPT. */
const doorRequests = {
  api: (url, secret) => ({
    url: `${url}/api/chat/stream`,
    body: JSON.stringify({ message: PROMPT }),
    secret,
  }),
  chat: (url, secret) => ({ url: `${url}/chat/stream`, body: JSON.stringify({ message: PROMPT }), secret }),
  chatkit: (url, secret) => ({
    url: `${url}/chatkit`,
    body: JSON.stringify({
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: PROMPT }], attachments: [], inference_options: {} },
      },
    }),
    secret,
  }),
  ws: (url, secret) => ({
    url: `${url.replace(/^http/, 'ws')}/ws/chat?access_token=${encodeURIComponent(secret)}`,
    socket: true,
    message: PROMPT,
  }),
};

const serverTarget = async (server, streams, door = 'api') => {
  const keys = await secrets(server.url, Math.ceil(streams / 10));
  return (i) => {
    const request = doorRequests[door](server.url, keys[Math.floor(i / 10)]);
    return {
      ...request,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${request.secret}` },
    };
  };
};

const bareTarget = (bare, pace, frames) => () => ({
  url: `${bare.url}/stream?pace=${pace}&frames=${frames}`,
  body: '{}',
  headers: { 'content-type': 'application/json' },
});

const summarise = (counter) => {
  const parts = [];
  for (const [status, n] of counter.refused) parts.push(`${n}× HTTP ${status}`);
  for (const [code, n] of counter.errors) parts.push(`${n}× ${code}`);
  return parts.length === 0 ? 'none failed' : parts.join(', ');
};

/** CPU seconds a process has used (user + system), from /proc. */
const cpuSeconds = async (pid) => {
  const { readFile } = await import('node:fs/promises');
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/**
 * Opens `streams` streams, waits for all to open, then counts frames over the window, and the CPU
 * time the serving process spent per frame (which a busy machine does not distort as much as rates).
 */
const throughput = async (target, streams, pid) => {
  const counter = newCounter();
  const stop = sustain(target, streams, counter);
  // Let every stream open and the load settle before counting.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const before = counter.frames;
  const cpuBefore = await cpuSeconds(pid);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const frames = counter.frames - before;
  const rate = (frames * 1000) / (performance.now() - start);
  const cpuPerFrame = ((await cpuSeconds(pid)) - cpuBefore) / frames;
  stop();
  return { rate, cpuPerFrame, failures: summarise(counter) };
};

/**
 * The server's live JavaScript heap after a full garbage collection, asked through its inspector
 * (the server runs with `--inspect`), so garbage left by opening the streams does not count.
 */
const liveHeap = async (server) => {
  const match = /Debugger listening on (ws:\/\/\S+)/.exec(server.output());
  if (!match) throw new Error('The server has no inspector');
  const socket = new WebSocket(match[1]);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let next = 0;
  const call = (method) =>
    new Promise((resolve) => {
      const id = ++next;
      socket.addEventListener('message', function onMessage(event) {
        const message = JSON.parse(event.data);
        if (message.id !== id) return;
        socket.removeEventListener('message', onMessage);
        resolve(message.result);
      });
      socket.send(JSON.stringify({ id, method }));
    });
  await call('HeapProfiler.collectGarbage');
  const { usedSize } = await call('Runtime.getHeapUsage');
  socket.close();
  return usedSize;
};

const rss = async (pid) => {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
};

/** Opens `streams` streams at once; when each opened, memory per stream, and /health meanwhile. */
const concurrency = async (server, target, streams, shortTarget) => {
  const counter = newCounter();
  // Warm up first with short streams, so code compiled and modules loaded on the first requests do not
  // count per stream.
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => openStream(shortTarget(i).url, shortTarget(i), newCounter()).ended),
  );
  const baseline = await rss(server.child.pid);
  const heapBaseline = await liveHeap(server);
  const start = performance.now();
  const opened = [];
  const openTimes = [];
  let allOpenAt = Number.POSITIVE_INFINITY;
  for (let i = 0; i < streams; i++) {
    const stream = (target(i).socket ? openSocket : openStream)(target(i).url, target(i), counter);
    stream.opened.then((ok) => {
      if (!ok) return;
      openTimes.push(performance.now() - start);
      if (openTimes.length === streams) allOpenAt = Date.now();
    });
    opened.push(stream);
  }
  // /health while the burst is being accepted, and once every stream is open and streaming, asked by
  // a process of its own: this one is busy reading thousands of streams, and its own delays must not
  // count as the server's.
  const probe = spawn(process.execPath, ['--input-type=module', '-e', probeProgram, `${server.url}/health`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let probeOutput = '';
  probe.stdout.on('data', (data) => {
    probeOutput += data;
  });
  const settled = await Promise.race([
    Promise.all(opened.map((s) => s.opened)).then(() => true),
    new Promise((resolve) => setTimeout(() => resolve(false), 120_000)),
  ]);
  // Streams keep streaming meanwhile: /health is probed for a few seconds with all of them open.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const memory = await rss(server.child.pid);
  const heap = await liveHeap(server);
  const probeExited = new Promise((resolve) => probe.once('exit', resolve));
  probe.kill();
  await probeExited;
  const health = { opening: [], open: [] };
  for (const line of probeOutput.trim().split('\n')) {
    const [sentAt, took] = JSON.parse(line);
    health[sentAt < allOpenAt ? 'opening' : 'open'].push(took);
  }
  for (const s of opened) s.close();
  return {
    lastOpen: openTimes.length === 0 ? Number.NaN : Math.max(...openTimes),
    openedCount: openTimes.length,
    settled,
    perStream: (memory - baseline) / Math.max(1, openTimes.length),
    heapPerStream: (heap - heapBaseline) / Math.max(1, openTimes.length),
    health: Object.fromEntries(
      Object.entries(health).map(([phase, times]) => [
        phase,
        times.length === 0 ? 'not probed' : `p50 ${ms(quantile(times, 0.5))}, max ${ms(Math.max(...times))}`,
      ]),
    ),
    failures: summarise(counter),
  };
};

const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-scale-'));
const serverEnv = (pace) => ({
  API_HOST: '127.0.0.1',
  API_PORT: '0',
  DATA_DIR: join(dataDir, String(pace)),
  LOG_LEVEL: 'info',
  DEMO_PACE_MS: String(pace),
  RATE_LIMIT_PER_MINUTE: '0',
  RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '0',
  AUTH_FAILURES_PER_MINUTE: '0',
  MAX_CONCURRENT_REPLIES: '100000',
  // A stream the client closed is cancelled soon, so one load's replies do not run into the next.
  RESUME_GRACE_MS: '500',
  MAX_CONCURRENT_REPLIES_PER_USER: '100000',
  WS_CONNECTIONS_PER_MINUTE: '0',
});

try {
  if (runs('throughput')) {
    const server = await startChild(serverArgv, serverEnv(10));
    const bare = await startChild(['--input-type=module', '-e', bareProgram], {});
    try {
      console.log(
        `Throughput: streams opened together, a frame every 10 ms each, counted over ${WINDOW_MS / 1000} s`,
      );
      const frames = await replyFrames(await serverTarget(server, 1));
      console.log(`  (each reply ${frames} frames; a stream that ends is replaced by a new one)`);
      for (const streams of THROUGHPUT_STREAMS) {
        const ours = await throughput(await serverTarget(server, streams), streams, server.child.pid);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const theirs = await throughput(bareTarget(bare, 10, frames), streams, bare.child.pid);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const offered = streams * 100;
        console.log(
          `  ${String(streams).padStart(5)} streams (${offered} frames/s offered): server ${Math.round(ours.rate)} frames/s ` +
            `(${Math.round((ours.rate / offered) * 100)} %), bare Node SSE ${Math.round(theirs.rate)} frames/s, ` +
            `ratio ${(ours.rate / theirs.rate).toFixed(2)}; CPU per frame: server ${Math.round(ours.cpuPerFrame * 1e6)} µs, ` +
            `bare ${Math.round(theirs.cpuPerFrame * 1e6)} µs; failures: server ${ours.failures}, bare ${theirs.failures}`,
        );
        for (const door of DOORS.filter((name) => name !== 'api')) {
          const result = await throughput(
            await serverTarget(server, streams, door),
            streams,
            server.child.pid,
          );
          await new Promise((resolve) => setTimeout(resolve, 1500));
          console.log(
            `        ${doorLabels[door].padEnd(17)} ${Math.round(result.rate)} frames/s, ratio ${(result.rate / theirs.rate).toFixed(2)}; ` +
              `CPU per frame ${Math.round(result.cpuPerFrame * 1e6)} µs; failures: ${result.failures}`,
          );
        }
      }
    } finally {
      await stop(server);
      await stop(bare);
    }
  }
  if (runs('concurrency')) {
    console.log('Concurrency: streams opened at once, a frame every 400 ms each');
    for (const streams of OPEN_STREAMS) {
      const server = await startChild(['--inspect=127.0.0.1:0', ...serverArgv], serverEnv(400));
      try {
        const target = await serverTarget(server, streams);
        const short = (i) => ({ ...target(i), body: JSON.stringify({ message: '/error' }) });
        const result = await concurrency(server, target, streams, short);
        console.log(
          `  ${String(streams).padStart(5)} streams: ${result.openedCount} opened, the last after ${ms(result.lastOpen)}; ` +
            `server memory per open stream: ${Math.round(result.perStream / 1024)} KB resident, ` +
            `${(result.heapPerStream / 1024).toFixed(1)} KB of live heap; ` +
            `GET /health while they open ${result.health.opening}, once all are open ${result.health.open}; ` +
            `failures: ${result.failures}`,
        );
      } finally {
        await stop(server);
      }
      // The same burst on the bare server: what Node itself costs per open stream, for scale.
      const bare = await startChild(['--inspect=127.0.0.1:0', '--input-type=module', '-e', bareProgram], {});
      try {
        const result = await concurrency(bare, bareTarget(bare, 400, 1e6), streams, bareTarget(bare, 1, 1));
        console.log(
          `        bare Node SSE: the last after ${ms(result.lastOpen)}; ${Math.round(result.perStream / 1024)} KB ` +
            `resident, ${(result.heapPerStream / 1024).toFixed(1)} KB of live heap per open stream; ` +
            `GET /health while they open ${result.health.opening}, once all are open ${result.health.open}`,
        );
      } finally {
        await stop(bare);
      }
    }
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
