// Benchmark: seed 003's template resolution with 10 and 100 modules, and the overhead a persona adds
// to a chat turn (its template resolved into the system prompt) against the same turn without one, in
// the same run. The built engine over memory, a provider that answers at once, QuickJS in this thread.
// Bounded by counts.
import {
  chatReply,
  createEngine,
  createMemoryBlobStore,
  createMemoryRepositories,
  createSigner,
} from '../packages/engine/dist/index.js';
import { createQuickJsSandbox } from '../packages/engine/dist/quickjs/index.js';
import { ms, quantile } from './stats.mjs';

const RUNS = 300;
const TURNS = 300;

const instant = {
  name: 'instant',
  defaultModel: 'instant-1',
  async *stream() {
    yield { type: 'text', delta: 'Ok.' };
  },
};

const engineFor = () =>
  createEngine({
    repositories: createMemoryRepositories(),
    blobs: createMemoryBlobStore(),
    signer: createSigner(new Uint8Array(32).fill(9)),
    providers: { list: [instant], default: 'instant' },
    uploads: { maxBytes: 1024, allowedTypes: ['text/plain'] },
    sessions: { ttlSeconds: 3600 },
    sandbox: createQuickJsSandbox(),
  });

const timed = async (runs, fn) => {
  for (let i = 0; i < 20; i++) await fn(i);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn(i);
    times.push(performance.now() - started);
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
};

for (const count of [10, 100]) {
  const engine = engineFor();
  // A template naming every module, each a line of text with a variable.
  for (let n = 0; n < count; n++) {
    await engine.modules.create(
      { name: `m${n}`, type: 'simple', content: `Rule ${n}: be \${tone}.`, is_active: true },
      'bench',
    );
  }
  const template = Array.from({ length: count }, (_, n) => `@m${n}`).join('\n');
  const { p50, p99 } = await timed(RUNS, () => engine.modules.resolve(template, { tone: 'kind' }, 'bench'));
  console.log(`resolve a template of ${count} simple modules: p50 ${ms(p50)}, p99 ${ms(p99)}`);
}

const engine = engineFor();
for (let n = 0; n < 10; n++) {
  await engine.modules.create(
    { name: `m${n}`, type: 'simple', content: `Rule ${n}.`, is_active: true },
    'bench',
  );
}
const persona = await engine.personas.create(
  {
    name: 'Bench',
    template: `You are careful.\n${Array.from({ length: 10 }, (_, n) => `@m${n}`).join('\n')}`,
    mode: 'reactive',
    is_active: true,
  },
  'bench',
);
const caller = { userId: 'bench', baseUrl: 'http://localhost' };
const signal = new AbortController().signal;
const plain = await timed(TURNS, () => chatReply(engine.chat, { message: 'Hello' }, caller, signal));
const withPersona = await timed(TURNS, () =>
  chatReply(engine.chat, { message: 'Hello', persona_id: persona.id }, caller, signal),
);
console.log(
  `a chat turn without a persona: p50 ${ms(plain.p50)}, p99 ${ms(plain.p99)}; with a persona of 10 modules: p50 ${ms(withPersona.p50)}, p99 ${ms(withPersona.p99)} (+${ms(withPersona.p50 - plain.p50)} at p50)`,
);
await engine.sandbox.close();
