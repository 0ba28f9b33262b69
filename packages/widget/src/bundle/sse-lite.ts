/**
 * @module A stand-in for `eventsource-parser` in the script-tag bundle only: the server-sent events
 * line format of the HTML standard (LF, CR and CRLF line ends, `data`/`event`/`id`/`retry` fields,
 * comments, a leading BOM) with the same callbacks the SDK's stream uses (`onEvent`, `onId`,
 * `onComment`, `onRetry`), called at the same moments. It omits what the SDK does not use: parse error
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
  onRetry?: (retry: number) => void;
}

/** A parser: feed it text in chunks of any size. */
export interface EventSourceParser {
  feed(chunk: string): void;
}

/** Creates an SSE parser that calls back as complete lines and events arrive. */
export function createParser(callbacks: ParserCallbacks): EventSourceParser {
  const { onEvent, onId, onComment, onRetry } = callbacks;
  let pending = '';
  let started = false;
  let skipLineFeed = false;
  let id: string | undefined;
  let event: string | undefined;
  let data = '';
  let lines = 0;

  const line = (text: string): void => {
    if (text === '') {
      if (id !== undefined) onId?.(id);
      if (lines > 0) onEvent?.({ id, event, data });
      id = event = undefined;
      data = '';
      lines = 0;
      return;
    }
    if (text[0] === ':') {
      onComment?.(text.slice(text[1] === ' ' ? 2 : 1));
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + (text[colon + 1] === ' ' ? 2 : 1));
    if (field === 'data') data = lines++ === 0 ? value : `${data}\n${value}`;
    else if (field === 'event') event = value || undefined;
    else if (field === 'id') {
      if (!value.includes('\0')) id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) onRetry?.(Number.parseInt(value, 10));
  };

  return {
    feed(chunk) {
      let text = pending + chunk;
      if (!started) {
        // A BOM may arrive split across chunks (as decoded text it is one character).
        if (text === '') return;
        started = true;
        text = text.replace(/^\uFEFF/, '');
      }
      let start = 0;
      if (skipLineFeed && text !== '') {
        skipLineFeed = false;
        if (text[0] === '\n') start = 1;
      }
      for (;;) {
        const cr = text.indexOf('\r', start);
        const lf = text.indexOf('\n', start);
        const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) break;
        line(text.slice(start, end));
        start = end + 1;
        if (text[end] === '\r') {
          if (start === text.length) skipLineFeed = true;
          else if (text[start] === '\n') start++;
        }
      }
      pending = text.slice(start);
    },
  };
}
