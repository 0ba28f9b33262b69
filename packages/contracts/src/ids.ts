/**
 * Id prefixes. Ids are opaque strings; the prefix only tells a reader what kind of record one names.
 * ChatKit records keep the reference server's style (`thr_` + 8 hex characters, ...).
 */
export const idPrefixes = {
  session: 'sess',
  thread: 'thr',
  message: 'msg',
  clientToolCall: 'tc',
  workflow: 'wf',
  task: 'tsk',
  attachment: 'atc',
  hiddenContext: 'shcx',
  request: 'req',
  apiKey: 'key',
  user: 'usr',
  response: 'resp',
  chatSession: 'cs',
  socket: 'ws',
  command: 'cmd',
  event: 'evt',
  engine: 'eng',
  log: 'log',
  memory: 'mem',
  file: 'file',
  computerUseRun: 'cu',
} as const;

/** The kinds of record that have an id prefix. */
export type IdKind = keyof typeof idPrefixes;
