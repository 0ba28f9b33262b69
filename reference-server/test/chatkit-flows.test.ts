import { describe, expect, it } from 'vitest';
import { assistantText, chatkit, createSecret, readEvents, startThread, useServer } from './helpers.js';

const json = async (res: Response) => ({ status: res.status, body: await res.json() });

describe('ChatKit flows of the demo provider', () => {
  it('asks the page to run a client tool and answers with its output', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { threadId, events } = await startThread(url, secret, '/tool');
    const call = events.findLast((e) => e.type === 'thread.item.done');
    expect(call?.type === 'thread.item.done' && call.item.type).toBe('client_tool_call');
    if (call?.type !== 'thread.item.done' || call.item.type !== 'client_tool_call') return;
    expect(call.item.status).toBe('pending');
    expect(call.item.name).toBe('get_page_info');

    const res = await chatkit(url, secret, {
      type: 'threads.add_client_tool_output',
      params: { thread_id: threadId, result: { title: 'Docs page' } },
    });
    const answer = await readEvents(res);
    expect(answer[0]?.type).toBe('stream_options');
    expect(assistantText(answer)).toContain('Docs page');

    const items = await json(
      await chatkit(url, secret, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }),
    );
    const stored = items.body.data.find((i: { type: string }) => i.type === 'client_tool_call');
    expect(stored).toMatchObject({ status: 'completed', output: { title: 'Docs page' } });
  });

  it('refuses a client tool output when no call is pending', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { threadId } = await startThread(url, secret, 'hi');
    const res = await chatkit(url, secret, {
      type: 'threads.add_client_tool_output',
      params: { thread_id: threadId, result: {} },
    });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('CONFLICT');
  });

  it('asks a structured question and replaces it with the answer', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { threadId, events } = await startThread(url, secret, '/form');
    const form = events.findLast((e) => e.type === 'thread.item.done');
    if (form?.type !== 'thread.item.done' || form.item.type !== 'structured_input')
      throw new Error('no form');
    expect(form.item.status).toBe('pending');
    const res = await chatkit(url, secret, {
      type: 'threads.add_structured_input',
      params: {
        thread_id: threadId,
        item_id: form.item.id,
        input: { answers: { size: { values: ['large'] } } },
      },
    });
    const answer = await readEvents(res);
    expect(answer.map((e) => e.type).slice(0, 2)).toEqual(['stream_options', 'thread.item.replaced']);
    const replaced = answer[1];
    expect(replaced?.type === 'thread.item.replaced' && replaced.item).toMatchObject({
      id: form.item.id,
      status: 'answered',
      inputs: [{ id: 'size', answer: { values: ['large'], skipped: false } }, { id: 'notes' }],
    });
  });

  it('streams a widget and applies its server action', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { threadId, events } = await startThread(url, secret, '/widget');
    const deltas = events.filter(
      (e) => e.type === 'thread.item.updated' && e.update.type === 'widget.streaming_text.value_delta',
    );
    expect(deltas.length).toBeGreaterThan(1);
    const widget = events.find((e) => e.type === 'thread.item.done' && e.item.type === 'widget');
    if (widget?.type !== 'thread.item.done') throw new Error('no widget');
    const sync = await json(
      await chatkit(url, secret, {
        type: 'threads.sync_custom_action',
        params: {
          thread_id: threadId,
          item_id: widget.item.id,
          action: { type: 'demo.pick', payload: { colour: 'blue' } },
        },
      }),
    );
    expect(sync.status).toBe(200);
    expect(JSON.stringify(sync.body.updated_item.widget)).toContain('You picked blue.');

    // Streamed, the changed widget is the whole answer: the card is not sent a second time.
    const streamed = await readEvents(
      await chatkit(url, secret, {
        type: 'threads.custom_action',
        params: {
          thread_id: threadId,
          item_id: widget.item.id,
          action: { type: 'demo.pick', payload: { colour: 'red' } },
        },
      }),
    );
    expect(streamed.map((e) => e.type)).toEqual(['stream_options', 'thread.item.replaced']);
    const replaced = streamed[1];
    expect(replaced?.type === 'thread.item.replaced' && JSON.stringify(replaced.item)).toContain(
      'You picked red.',
    );
  });

  it('sends every widget component for /widgets and answers its form with the values sent', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { threadId, events } = await startThread(url, secret, '/widgets');
    const widgets = events.flatMap((e) =>
      e.type === 'thread.item.done' && e.item.type === 'widget' ? [e.item] : [],
    );
    const types = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (typeof record.type === 'string' && /^[A-Z]/.test(record.type)) types.add(record.type);
        Object.values(record).forEach(walk);
      }
    };
    walk(widgets.map((item) => item.widget));
    expect([...types].sort()).toEqual(
      [
        'Badge',
        'Caption',
        'Card',
        'Chart',
        'Checkbox',
        'Col',
        'DatePicker',
        'Divider',
        'Icon',
        'Image',
        'Input',
        'Label',
        'ListView',
        'ListViewItem',
        'Markdown',
        'RadioGroup',
        'Row',
        'Select',
        'Spacer',
        'Table',
        'Table.Cell',
        'Table.Row',
        'Text',
        'Textarea',
        'Title',
        'Transition',
      ].sort(),
    );
    const payload = { form: 'booking', guest: { name: 'Ada' } };
    const answer = await readEvents(
      await chatkit(url, secret, {
        type: 'threads.custom_action',
        params: { thread_id: threadId, item_id: widgets[0]?.id, action: { type: 'demo.submit', payload } },
      }),
    );
    const replaced = answer[1];
    expect(replaced?.type === 'thread.item.replaced' && JSON.stringify(replaced.item)).toContain(
      JSON.stringify(`Received: ${JSON.stringify(payload)}`).slice(1, -1),
    );
  });

  it('sends an error event, keeps the partial text and lets the user retry', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { threadId, events } = await startThread(url, secret, '/error');
    const error = events.find((e) => e.type === 'error');
    expect(error).toEqual({
      type: 'error',
      code: 'custom',
      message: 'The demo provider failed on purpose.',
      allow_retry: true,
    });
    const user = events.find((e) => e.type === 'thread.item.done' && e.item.type === 'user_message');
    if (user?.type !== 'thread.item.done') throw new Error('no user message');

    const retried = await readEvents(
      await chatkit(url, secret, {
        type: 'threads.retry_after_item',
        params: { thread_id: threadId, item_id: user.item.id },
      }),
    );
    expect(retried[0]?.type).toBe('stream_options');
    const items = await json(
      await chatkit(url, secret, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }),
    );
    // The first partial answer is gone; only the retried one follows the user message.
    expect(items.body.data.map((i: { type: string }) => i.type)).toEqual([
      'user_message',
      'assistant_message',
    ]);
  });

  it('shows progress updates and notices without storing them', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const progress = await startThread(url, secret, '/progress');
    expect(progress.events.filter((e) => e.type === 'progress_update')).toHaveLength(3);
    const notice = await startThread(url, secret, '/notice');
    expect(notice.events.find((e) => e.type === 'notice')).toMatchObject({
      level: 'warning',
      title: 'Heads up',
    });
    const items = await json(
      await chatkit(url, secret, { type: 'items.list', params: { thread_id: notice.threadId } }),
    );
    expect(items.body.data.map((i: { type: string }) => i.type).sort()).toEqual([
      'assistant_message',
      'user_message',
    ]);
  });

  it('stores a reasoning workflow as an item', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { events } = await startThread(url, secret, '/workflow');
    const workflow = events.find((e) => e.type === 'thread.item.done' && e.item.type === 'workflow');
    expect(workflow?.type === 'thread.item.done' && workflow.item).toMatchObject({
      workflow: { type: 'reasoning' },
    });
  });

  it('answers input.transcribe with a clear 503 while no voice provider is configured', async () => {
    const { url } = await useServer();
    const res = await chatkit(url, await createSecret(url), {
      type: 'input.transcribe',
      params: { audio_base64: 'AAAA', mime_type: 'audio/webm;codecs=opus' },
    });
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe('PROVIDER_NOT_CONFIGURED');
    expect(body.error.message).toMatch(/voice/i);
  });

  it('answers an unknown model with 503 PROVIDER_NOT_CONFIGURED instead of falling back', async () => {
    const { url } = await useServer();
    const res = await chatkit(url, await createSecret(url), {
      type: 'threads.create',
      params: {
        input: {
          content: [{ type: 'input_text', text: 'x' }],
          attachments: [],
          inference_options: { model: 'gpt-9' },
        },
      },
    });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('PROVIDER_NOT_CONFIGURED');
  });
});
