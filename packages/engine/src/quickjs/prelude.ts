/**
 * @module The JavaScript evaluated in each fresh context before the user's code: it keeps its own
 * references to `JSON` and friends (so code that replaces them cannot confuse the host), wraps the raw
 * host functions into `log`, `console`, `emit` and `fetch`, and answers the runner that calls the
 * user's function and turns its result into JSON text.
 */

/** Most characters of a log message or of its data that reach the host. */
export const maxLogChars = 16_384;

/**
 * The prelude. The host defines `__host_log`, `__host_emit` and, when `fetch` is allowed, `__host_fetch`
 * on the global object first; the prelude takes them off it and evaluates to the runner.
 */
export const prelude = `(() => {
  'use strict';
  const g = globalThis;
  const stringify = JSON.stringify, parse = JSON.parse, toStr = String, slice = String.prototype.slice;
  const apply = Reflect.apply, P = Promise, resolve = Promise.resolve.bind(Promise), freeze = Object.freeze;
  const hostLog = g.__host_log, hostEmit = g.__host_emit, hostFetch = g.__host_fetch;
  delete g.__host_log; delete g.__host_emit; delete g.__host_fetch;
  const clip = (text) => apply(slice, text, [0, ${maxLogChars}]);
  const json = (value) => { const text = stringify(value === undefined ? null : value); return text === undefined ? 'null' : text; };
  const levels = ['debug', 'info', 'warn', 'error'];
  const log = (level, message, data) => {
    const name = levels.includes(level) ? level : 'info';
    hostLog(name, clip(toStr(message)), data === undefined ? undefined : clip(json(data)));
  };
  const line = (level) => (...parts) => hostLog(level, clip(parts.map((part) => typeof part === 'string' ? part : json(part)).join(' ')), undefined);
  g.log = log;
  g.console = freeze({ log: line('info'), info: line('info'), debug: line('debug'), warn: line('warn'), error: line('error') });
  g.emit = (eventType, data) => hostEmit(toStr(eventType), json(data));
  if (hostFetch) {
    g.fetch = async (url, init) => {
      const options = init ?? {};
      const request = { method: options.method === undefined ? 'GET' : toStr(options.method), headers: options.headers ?? {}, body: options.body == null ? null : toStr(options.body) };
      const answer = parse(await hostFetch(toStr(url), json(request)));
      const headers = answer.headers;
      return freeze({
        ok: answer.status >= 200 && answer.status < 300,
        status: answer.status,
        statusText: answer.statusText,
        url: answer.url,
        headers: freeze({ get: (name) => headers[toStr(name).toLowerCase()] ?? null }),
        text: async () => answer.body,
        json: async () => parse(answer.body),
      });
    };
  }
  return (fn, input) => resolve().then(() => fn(parse(input))).then(json);
})()`;
