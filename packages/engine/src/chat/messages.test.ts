import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './messages.js';

describe('parseClientMessage', () => {
  it('reads the three client messages of seed 003', () => {
    expect(parseClientMessage('{"type":"ping"}')).toEqual({ ok: true, message: { type: 'ping' } });
    expect(parseClientMessage('{"type":"cancel","session_id":"cs_1"}')).toEqual({
      ok: true,
      message: { type: 'cancel', session_id: 'cs_1' },
    });
    const chat = parseClientMessage(
      JSON.stringify({
        type: 'chat',
        data: { message: 'Hi', provider: 'demo', chat_controls: { temperature: 1 } },
      }),
    );
    expect(chat).toEqual({
      ok: true,
      message: { type: 'chat', data: { message: 'Hi', provider: 'demo', chat_controls: { temperature: 1 } } },
    });
  });

  it('answers malformed JSON with a VALIDATION_ERROR that does not belong to a chat', () => {
    expect(parseClientMessage('{"type":')).toEqual({
      ok: false,
      chat: false,
      error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/not valid JSON/) },
    });
  });

  it('names the failing field of a schema-invalid message', () => {
    const cases: [unknown, RegExp, boolean][] = [
      [{ type: 'chat', data: { message: '' } }, /data\.message must have at least 1 character/, true],
      [{ type: 'chat' }, /data is required/, true],
      [
        { type: 'chat', data: { message: 'x', chat_controls: { temperature: 9 } } },
        /data\.chat_controls\.temperature must be at most 2/,
        true,
      ],
      [{ type: 'dance' }, /type must be one of chat, cancel, ping/, false],
      [{ type: 'cancel', session_id: 3 }, /session_id must be a string/, false],
      [[1, 2], /the message must be an object/, false],
    ];
    for (const [message, pattern, chat] of cases) {
      const parsed = parseClientMessage(JSON.stringify(message));
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.error.code).toBe('VALIDATION_ERROR');
      expect(parsed.error.message).toMatch(pattern);
      expect(parsed.chat).toBe(chat);
    }
  });
});
