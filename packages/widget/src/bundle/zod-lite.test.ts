import type * as Contracts from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { importBundled } from '../../../../tests/widget/stand-ins.js';

// The contract schemas as the script-tag build bundles them: against the stand-in instead of zod.
const { ChatKitSession, ThreadStreamEvent, chatKitJsonResults } = await importBundled<typeof Contracts>(
  "export { ChatKitSession, ThreadStreamEvent, chatKitJsonResults } from '@cartrita/contracts';",
);

describe('zod-lite under the ChatKit contracts', () => {
  it('parses events and fills in the contract defaults', () => {
    const done = ThreadStreamEvent.safeParse({
      type: 'thread.item.done',
      item: {
        id: 'msg_1',
        thread_id: 'thr_1',
        created_at: '2026-01-01T00:00:00Z',
        type: 'assistant_message',
        content: [{ type: 'output_text', text: 'Hi' }],
        extra: 'dropped',
      },
    });
    expect(done).toEqual({
      success: true,
      data: {
        type: 'thread.item.done',
        item: {
          id: 'msg_1',
          thread_id: 'thr_1',
          created_at: '2026-01-01T00:00:00Z',
          type: 'assistant_message',
          content: [{ type: 'output_text', text: 'Hi', annotations: [] }],
        },
      },
    });
    expect(ThreadStreamEvent.safeParse({ type: 'error' })).toEqual({
      success: true,
      data: { type: 'error', code: 'custom', allow_retry: false },
    });
  });

  it('keeps the extra keys of loose widget objects', () => {
    const parsed = ThreadStreamEvent.safeParse({
      type: 'thread.item.updated',
      item_id: 'w',
      update: {
        type: 'widget.root.updated',
        widget: { type: 'Card', children: [{ type: 'Text', value: 'v' }], size: 'md' },
      },
    });
    expect(parsed.success && parsed.data).toMatchObject({ update: { widget: { size: 'md' } } });
  });

  it('rejects values of the wrong shape', () => {
    expect(ThreadStreamEvent.safeParse({ type: 'no.such.event' }).success).toBe(false);
    expect(ThreadStreamEvent.safeParse({ type: 'progress_update', text: 5 }).success).toBe(false);
    expect(ThreadStreamEvent.safeParse({ type: 'notice', level: 'loud', message: 'x' }).success).toBe(false);
    expect(ChatKitSession.safeParse({ session_id: 's', expires_at: 'x' }).success).toBe(false);
  });

  it('skips refinements such as datetime formats', () => {
    expect(
      ChatKitSession.safeParse({ client_secret: 'c', session_id: 's', expires_at: 'not a date' }).success,
    ).toBe(true);
  });

  it('validates results through the Standard Schema interface the SDK calls', async () => {
    const result = await chatKitJsonResults['threads.list']['~standard'].validate({
      data: [
        {
          id: 't',
          created_at: 'x',
          status: { type: 'active' },
          metadata: {},
          items: { data: [], has_more: false },
        },
      ],
      has_more: false,
    });
    expect(result).toEqual({ value: expect.objectContaining({ has_more: false }) });
    const bad = await chatKitJsonResults['threads.list']['~standard'].validate({ data: 'nope' });
    expect(bad.issues?.[0]?.path).toEqual(['data']);
  });
});
