/**
 * @module A stand-in for `eventsource-parser` in the script-tag bundle only: the server-sent events
 * line format of the HTML standard (LF, CR and CRLF line ends, `data`/`event`/`id` fields, comments,
 * a leading BOM) with the callbacks the SDK's stream uses (`onEvent`, `onId`, `onComment`), called at
 * the same moments. It omits what the SDK does not use: the `retry` field (`onRetry`), parse error
 * reports, buffer limits and `reset()`. `sse-lite.test.ts` feeds it and the real parser the same
 * streams, cut at random places, and compares every callback.
 */

/** One event, as `onEvent` receives it. */
export interface EventSourceMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** The callbacks of {@link createParser}. */
export interface ParserCallbacks {
  onEvent?: (event: EventSourceMessage) => void;
  onId?: (id: string) => void;
  onComment?: (comment: string) => void;
}

/** A parser: feed it text in chunks of any size. */
export interface EventSourceParser {
  feed(chunk: string): void;
}

/** Creates an SSE parser that calls back as complete lines and events arrive. */
export function createParser(callbacks: ParserCallbacks): EventSourceParser {
  const { onEvent, onId, onComment } = callbacks;
  let pending = '';
  let started = false;
  let skipLineFeed = false;
  let id: string | undefined;
  let event: string | undefined;
  /** The `data` lines so far, joined; `undefined` until the event has one. */
  let data: string | undefined;

  const line = (text: string): void => {
    if (text === '') {
      if (id !== undefined) onId?.(id);
      if (data !== undefined) onEvent?.({ id, event, data });
      id = event = data = undefined;
      return;
    }
    // The field name up to the first colon, then the value less one leading space; a comment has no
    // name. (`s`: the value may hold U+2028 and U+2029, which `.` would otherwise stop at.)
    const [, field, value = ''] = /^([^:]*)(?:: ?(.*))?/s.exec(text) as RegExpExecArray;
    if (field === '') onComment?.(value);
    else if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value || undefined;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return {
    feed(chunk) {
      let text = pending + chunk;
      if (text === '') return;
      if (!started) {
        // The first text may open with a BOM (as decoded text it is one character, however it was split).
        started = true;
        text = text.replace(/^\uFEFF/, '');
      }
      // A CR that ended the last chunk and an LF that starts this one are a single line end.
      if (skipLineFeed && text[0] === '\n') text = text.slice(1);
      skipLineFeed = text.endsWith('\r');
      let start = 0;
      for (const { 0: end, index } of text.matchAll(/\r\n?|\n/g)) {
        line(text.slice(start, index));
        start = index + end.length;
      }
      pending = text.slice(start);
    },
  };
}
