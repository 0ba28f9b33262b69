/**
 * Attacks on the sandbox and abuses of it, each with the failure it must end in. The in-thread
 * sandbox, the server's worker pool and the server over HTTP are each held to this one list.
 */
import type { SandboxFailureKind } from '@cartrita/engine';

export interface Attack {
  name: string;
  /** One JavaScript function; it gets `{ depth: 1 }` as its input. */
  code: string;
  /** How the call must end: a failure of this kind, with this in its message. */
  kind: SandboxFailureKind;
  message: string | RegExp;
}

/** The deadline the attacks run under, in milliseconds. */
export const attackTimeoutMs = 400;

/**
 * The deadline of one attack: an attack that must end on the memory limit gets ten times longer, so
 * a busy machine that runs it slowly still reaches the limit before the clock, and the test checks
 * the limit rather than the machine's speed.
 */
export const deadlineOf = (attack: Attack): number =>
  attack.kind === 'memory' ? 10 * attackTimeoutMs : attackTimeoutMs;

export const attacks: readonly Attack[] = [
  {
    name: 'an infinite loop',
    code: 'function spin() { for (;;) {} }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'an infinite loop after an await',
    code: 'async function spin() { await null; while (true) {} }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'a promise chain that never ends',
    // Each job queues the next and lets go of the last, so the chain runs on without growing: it must
    // be the clock that stops it (a chain that keeps every link is a memory bomb, and may meet the
    // memory limit first on a fast machine).
    code: 'function chain() { const next = () => { Promise.resolve().then(next); }; next(); return new Promise(() => {}); }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'catching the deadline to spin on',
    code: 'function stubborn() { for (;;) { try { for (;;) {} } catch (error) {} } }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'a timer that spins',
    code: 'async function later() { setTimeout(() => { for (;;) {} }, 1); await new Promise((r) => setTimeout(r, 10_000)); }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'a result whose toJSON spins',
    code: 'function sneaky() { return { toJSON() { for (;;) {} } }; }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'catastrophic regular-expression backtracking',
    code: 'function regex() { return /^(a+)+$/.test("a".repeat(40) + "b"); }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'an array that grows without end',
    code: 'function bomb() { const all = []; for (;;) all.push(new Array(1000).fill(all.length)); }',
    kind: 'memory',
    message: 'out of memory',
  },
  {
    name: 'a string that doubles without end',
    code: 'function bomb() { let s = "x"; for (;;) s += s; }',
    kind: 'memory',
    message: /string too long|out of memory/,
  },
  {
    name: 'typed arrays without end',
    code: 'function bomb() { const all = []; for (;;) all.push(new Uint8Array(1 << 20)); }',
    kind: 'memory',
    message: 'out of memory',
  },
  {
    name: 'one enormous buffer',
    code: 'function bomb() { return new ArrayBuffer(2 ** 30).byteLength; }',
    kind: 'memory',
    message: 'out of memory',
  },
  {
    name: 'unbounded recursion',
    code: 'function deep() { const f = (n) => f(n + 1) + 1; return f(0); }',
    kind: 'stack',
    message: 'stack overflow',
  },
  {
    name: 'recursion through a getter',
    code: 'function deep() { const o = { get x() { return this.x; } }; return o.x; }',
    kind: 'stack',
    message: 'stack overflow',
  },
  {
    name: 'reaching process through the Function constructor',
    code: 'function escape() { return Function("return process")().env; }',
    kind: 'runtime',
    message: "ReferenceError: 'process' is not defined",
  },
  {
    name: 'reaching require through eval',
    code: 'function escape() { return eval("require")("node:fs").readFileSync("/etc/passwd", "utf8"); }',
    kind: 'runtime',
    message: "ReferenceError: 'require' is not defined",
  },
  {
    name: 'reaching the host through a constructor chain',
    code: 'function escape() { return this.constructor.constructor("return process")().pid; }',
    kind: 'runtime',
    message: /is not defined|cannot read property/,
  },
  {
    name: 'loading a module',
    code: 'async function escape() { const fs = await import("node:fs"); return fs.readdirSync("/"); }',
    kind: 'runtime',
    message: /could not load module|not supported/i,
  },
  {
    name: 'calling the raw host functions',
    code: 'function escape() { return globalThis.__host_emit("Forged", "{}"); }',
    kind: 'runtime',
    message: 'not a function',
  },
  {
    name: 'fetch when no host is allowed',
    code: 'async function escape() { return (await fetch("http://127.0.0.1:1/")).status; }',
    kind: 'runtime',
    message: "ReferenceError: 'fetch' is not defined",
  },
  {
    name: 'WebAssembly inside the sandbox',
    code: 'function escape() { return new WebAssembly.Memory({ initial: 1 }); }',
    kind: 'runtime',
    message: "ReferenceError: 'WebAssembly' is not defined",
  },
  {
    name: 'a result too large to hand back',
    code: 'function huge() { return "x".repeat(2_000_000); }',
    kind: 'output_too_large',
    message: 'at most 1000000 may be returned',
  },
  {
    name: 'a value JSON cannot carry',
    code: 'function odd() { return { big: 10n }; }',
    kind: 'runtime',
    message: 'TypeError',
  },
  {
    name: 'a thrown object whose message getter spins',
    code: 'function odd() { throw { get message() { for (;;) {} } }; }',
    kind: 'timeout',
    message: `did not finish within ${attackTimeoutMs} ms`,
  },
  {
    name: 'a promise that can never settle',
    code: 'function wait() { return new Promise(() => {}); }',
    kind: 'runtime',
    message: 'can never settle',
  },
  {
    name: 'a flood of emitted events',
    code: 'async function flood() { for (;;) await emit("Flood", {}); }',
    kind: 'runtime',
    message: 'at most 100 events',
  },
  {
    name: 'more timers than allowed',
    code: 'function timers() { for (let i = 0; i < 1000; i++) setTimeout(() => {}, 60_000); }',
    kind: 'runtime',
    message: 'At most 100 timers',
  },
];

/** What one call leaves behind that must not reach the next. */
export const pollute = `function pollute() {
  globalThis.leaked = 'from an earlier call';
  Object.prototype.polluted = true;
  Array.prototype.map = () => 'hijacked';
  JSON.stringify = () => '"forged"';
  return 'done';
}`;

/** Reads what {@link pollute} tried to leave. */
export const inspect = `function inspect() {
  return { leaked: typeof leaked, polluted: ({}).polluted ?? null, mapped: [1, 2].map((n) => n * 2) };
}`;

/** Hands back what would pollute the host's prototypes if it were merged carelessly. */
export const pollutingResult = `function polluting() {
  return JSON.parse('{"__proto__": {"pollutedHost": true}, "constructor": {"prototype": {"pollutedHost": true}}, "ok": 1}');
}`;
