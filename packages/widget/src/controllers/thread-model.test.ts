// @vitest-environment happy-dom
import type { ThreadItem, ThreadStreamEvent } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { applyAssistantUpdate, applyWidgetUpdate, ThreadModel } from './thread-model.js';

const base = { thread_id: 'thr_1', created_at: '2026-01-01T00:00:00Z' };
const user = (id: string, text = 'Hi'): ThreadItem => ({
  ...base,
  id,
  type: 'user_message',
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});
const assistant = (id: string, text = ''): ThreadItem => ({
  ...base,
  id,
  type: 'assistant_message',
  content: text ? [{ type: 'output_text', text, annotations: [] }] : [],
});
const updated = (item_id: string, update: unknown): ThreadStreamEvent =>
  ({ type: 'thread.item.updated', item_id, update }) as ThreadStreamEvent;
const thread = {
  id: 'thr_1',
  created_at: base.created_at,
  status: { type: 'active' as const },
  metadata: {},
  items: { data: [], has_more: false },
};

const textOf = (model: ThreadModel, id: string) => {
  const item = model.get(id);
  return item?.type === 'assistant_message' ? item.content.map((p) => p.text) : undefined;
};

describe('ThreadModel', () => {
  it('applies the golden threads.create stream', () => {
    const model = new ThreadModel();
    const events: ThreadStreamEvent[] = [
      { type: 'thread.created', thread },
      { type: 'thread.item.done', item: user('msg_u') },
      { type: 'stream_options', stream_options: { allow_cancel: true } },
      { type: 'thread.item.added', item: assistant('msg_a') },
      updated('msg_a', {
        type: 'assistant_message.content_part.added',
        content_index: 0,
        content: { type: 'output_text', text: '', annotations: [] },
      }),
      updated('msg_a', {
        type: 'assistant_message.content_part.text_delta',
        content_index: 0,
        delta: 'Hello',
      }),
      updated('msg_a', {
        type: 'assistant_message.content_part.text_delta',
        content_index: 0,
        delta: ', world',
      }),
    ];
    for (const event of events) model.apply(event);
    expect(model.thread?.id).toBe('thr_1');
    expect(model.items.map((i) => i.id)).toEqual(['msg_u', 'msg_a']);
    expect(textOf(model, 'msg_a')).toEqual(['Hello, world']);
    expect(model.pending.has('msg_a')).toBe(true);

    model.apply({ type: 'thread.item.done', item: assistant('msg_a', 'Hello, world') });
    expect(model.pending.has('msg_a')).toBe(false);
    model.apply({ type: 'thread.updated', thread: { ...thread, title: 'Greeting' } });
    expect(model.thread?.title).toBe('Greeting');
  });

  it('pads content parts up to the content index', () => {
    const parts: Array<{ type: 'output_text'; text: string; annotations: [] }> = [];
    applyAssistantUpdate(parts, {
      type: 'assistant_message.content_part.text_delta',
      content_index: 2,
      delta: 'third',
    });
    expect(parts.map((p) => p.text)).toEqual(['', '', 'third']);
  });

  it('replaces a part on added and done, and appends on text_delta', () => {
    const model = new ThreadModel();
    model.apply({ type: 'thread.item.added', item: assistant('a', 'old') });
    model.apply(
      updated('a', {
        type: 'assistant_message.content_part.added',
        content_index: 0,
        content: { type: 'output_text', text: 'new', annotations: [] },
      }),
    );
    model.apply(
      updated('a', { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: '!' }),
    );
    expect(textOf(model, 'a')).toEqual(['new!']);
    model.apply(
      updated('a', {
        type: 'assistant_message.content_part.done',
        content_index: 0,
        content: { type: 'output_text', text: 'final', annotations: [] },
      }),
    );
    expect(textOf(model, 'a')).toEqual(['final']);
  });

  it('inserts annotations at their index and appends past the end', () => {
    const model = new ThreadModel();
    model.apply({ type: 'thread.item.added', item: assistant('a', 'x') });
    const source = (title: string) => ({ type: 'url' as const, url: `https://example.com/${title}`, title });
    const add = (annotation_index: number, title: string) =>
      model.apply(
        updated('a', {
          type: 'assistant_message.content_part.annotation_added',
          content_index: 0,
          annotation_index,
          annotation: { type: 'annotation', source: source(title) },
        }),
      );
    add(0, 'one');
    add(5, 'three');
    add(1, 'two');
    const item = model.get('a');
    expect(
      item?.type === 'assistant_message' && item.content[0]?.annotations.map((a) => a.source.title),
    ).toEqual(['one', 'two', 'three']);
  });

  it('gives an updated item a new identity and leaves the others alone', () => {
    const model = new ThreadModel();
    model.apply({ type: 'thread.item.done', item: user('u') });
    model.apply({ type: 'thread.item.added', item: assistant('a', 'x') });
    const [before, beforeAnswer] = model.items;
    model.apply(
      updated('a', { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'y' }),
    );
    expect(model.items[0]).toBe(before);
    expect(model.items[1]).not.toBe(beforeAnswer);
  });

  it('replaces, removes and ignores updates for unknown items', () => {
    const model = new ThreadModel();
    model.apply({ type: 'thread.item.done', item: assistant('a', 'one') });
    model.apply({ type: 'thread.item.done', item: assistant('b', 'two') });
    model.apply({ type: 'thread.item.replaced', item: assistant('a', 'uno') });
    expect(textOf(model, 'a')).toEqual(['uno']);
    model.apply({ type: 'thread.item.removed', item_id: 'a' });
    expect(model.items.map((i) => i.id)).toEqual(['b']);
    expect(model.apply(updated('zzz', { type: 'widget.root.updated', widget: { type: 'Card' } }))).toBe(
      false,
    );
  });

  it('streams widget text into the component with that id and swaps components and roots', () => {
    const root = {
      type: 'Card',
      children: [
        { type: 'Title', value: 'Pick' },
        { type: 'Text', id: 't', value: '', streaming: true },
      ],
    };
    let next = applyWidgetUpdate(root, {
      type: 'widget.streaming_text.value_delta',
      component_id: 't',
      delta: 'Red',
      done: false,
    });
    next = applyWidgetUpdate(next, {
      type: 'widget.streaming_text.value_delta',
      component_id: 't',
      delta: ' or blue',
      done: true,
    });
    expect(next.children?.[1]).toEqual({ type: 'Text', id: 't', value: 'Red or blue', streaming: false });
    expect(root.children[1]?.value).toBe('');
    next = applyWidgetUpdate(next, {
      type: 'widget.component.updated',
      component_id: 't',
      component: { type: 'Text', id: 't', value: 'You picked red' },
    });
    expect(next.children?.[1]).toEqual({ type: 'Text', id: 't', value: 'You picked red' });
    expect(applyWidgetUpdate(next, { type: 'widget.root.updated', widget: { type: 'Basic' } })).toEqual({
      type: 'Basic',
    });
  });

  it('adds and updates workflow tasks by index', () => {
    const model = new ThreadModel();
    model.apply({
      type: 'thread.item.added',
      item: {
        ...base,
        id: 'w',
        type: 'workflow',
        workflow: { type: 'reasoning', tasks: [], expanded: false },
      },
    });
    const task = (title: string) => ({
      type: 'custom' as const,
      title,
      status_indicator: 'loading' as const,
    });
    model.apply(updated('w', { type: 'workflow.task.added', task_index: 0, task: task('b') }));
    model.apply(updated('w', { type: 'workflow.task.added', task_index: 0, task: task('a') }));
    model.apply(
      updated('w', {
        type: 'workflow.task.updated',
        task_index: 1,
        task: { ...task('b'), status_indicator: 'complete' },
      }),
    );
    const item = model.get('w');
    expect(
      item?.type === 'workflow' && item.workflow.tasks.map((t) => [t.title, t.status_indicator]),
    ).toEqual([
      ['a', 'loading'],
      ['b', 'complete'],
    ]);
  });

  it('drops everything after a user message for a retry', () => {
    const model = new ThreadModel();
    for (const item of [user('u1'), assistant('a1', 'x'), user('u2'), assistant('a2', 'y')]) {
      model.apply({ type: 'thread.item.done', item });
    }
    expect(model.userMessageBefore('a2')?.id).toBe('u2');
    expect(model.lastUserMessage()?.id).toBe('u2');
    model.truncateAfter('u1');
    expect(model.items.map((i) => i.id)).toEqual(['u1']);
  });

  it('marks what was streaming as stopped or incomplete, and forgets it with the thread', () => {
    const model = new ThreadModel();
    model.apply({ type: 'thread.item.added', item: assistant('a', 'partial') });
    model.endPending('stopped');
    expect(model.pending.size).toBe(0);
    expect(model.ended.get('a')).toBe('stopped');
    expect(textOf(model, 'a')).toEqual(['partial']);
    model.apply({ type: 'thread.item.added', item: assistant('b', 'cut') });
    model.endPending('incomplete');
    expect([...model.ended]).toEqual([
      ['a', 'stopped'],
      ['b', 'incomplete'],
    ]);
    model.reset();
    expect(model.ended.size).toBe(0);
  });

  it('loads a thread with its items', () => {
    const model = new ThreadModel();
    model.reset({ ...thread, title: 'Old', items: { data: [user('u')], has_more: false } });
    expect(model.thread).toMatchObject({ id: 'thr_1', title: 'Old' });
    expect(model.thread).not.toHaveProperty('items');
    expect(model.items.map((i) => i.id)).toEqual(['u']);
    model.reset();
    expect(model.thread).toBeUndefined();
    expect(model.items).toEqual([]);
  });
});
