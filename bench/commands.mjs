// Benchmark: commands per second through a session's queue, with the built-in DummyEngineCommand, on
// the built server over real HTTP (SQLite, the embedded default). Each session runs its commands one
// at a time; several sessions run side by side. Bounded: a fixed number of commands, and a deadline.
const SESSIONS = 8;
const PER_SESSION = 250;
const BATCH = 50;
const DEADLINE_MS = 120_000;

const { startTestServer } = await import('../reference-server/dist/testing.js');
const server = await startTestServer();
const headers = { 'x-api-key': server.apiKey, 'content-type': 'application/json' };
const post = async (path, body) => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const status = async () => (await (await fetch(`${server.url}/api/status`, { headers })).json()).commands;

try {
  const sessions = [];
  for (let i = 0; i < SESSIONS; i++)
    sessions.push((await post('/api/sessions', { name: `bench ${i}` })).session_id);
  const started = performance.now();
  await Promise.all(
    sessions.map(async (id) => {
      for (let sent = 0; sent < PER_SESSION; sent += BATCH) {
        const commands = Array.from({ length: BATCH }, (_, n) => ({
          command_type: 'DummyEngineCommand',
          parameters: { prompt: `command ${sent + n}` },
        }));
        await post(`/api/sessions/${id}/commands/batch`, { commands });
      }
    }),
  );
  const queuedAt = performance.now();
  for (;;) {
    const { queued, executing } = await status();
    if (queued === 0 && executing === 0) break;
    if (performance.now() - started > DEADLINE_MS) throw new Error('The queue did not drain in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsed = (performance.now() - started) / 1000;
  const total = SESSIONS * PER_SESSION;
  console.log(
    `DummyEngineCommand through the queue: ${total} commands, ${SESSIONS} sessions, batches of ${BATCH}, SQLite`,
  );
  console.log(
    `  ${Math.round(total / elapsed)} commands/s end to end (queued in ${((queuedAt - started) / 1000).toFixed(2)} s, all done in ${elapsed.toFixed(2)} s)`,
  );
} finally {
  await server.close();
}
