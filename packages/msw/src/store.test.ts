import { describe, expect, it } from 'vitest';
import { MockContractError, MockHttpError } from './errors.js';
import { createStore, paginate } from './store.js';

const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const notFound = (id: string) => new MockHttpError('NOT_FOUND', id);

describe('paginate', () => {
  it('pages newest first by default, 20 rows at most', () => {
    const many = Array.from({ length: 25 }, (_, index) => ({ id: `r${index}` }));
    const page = paginate(many, {}, notFound);
    expect(page.data).toHaveLength(20);
    expect(page.data[0]?.id).toBe('r24');
    expect(page).toMatchObject({ has_more: true, after: 'r5' });
  });

  it('continues after the id of the last returned row', () => {
    const first = paginate(rows, { order: 'asc', limit: 2 }, notFound);
    expect(first).toEqual({ data: [{ id: 'a' }, { id: 'b' }], has_more: true, after: 'b' });
    const second = paginate(rows, { order: 'asc', limit: 2, after: first.after ?? null }, notFound);
    expect(second).toEqual({ data: [{ id: 'c' }, { id: 'd' }], has_more: true, after: 'd' });
    const last = paginate(rows, { order: 'asc', limit: 2, after: 'd' }, notFound);
    expect(last).toEqual({ data: [{ id: 'e' }], has_more: false, after: 'e' });
  });

  it('leaves after out of an empty page', () => {
    expect(paginate([], {}, notFound)).toEqual({ data: [], has_more: false });
  });

  it('treats an unknown cursor as an unknown id', () => {
    expect(() => paginate(rows, { after: 'zz' }, notFound)).toThrow(MockHttpError);
  });
});

describe('CartritaStore', () => {
  it('authenticates a client secret until it expires', () => {
    const store = createStore();
    const live = store.createSession();
    const expired = store.createSession({ ttlSeconds: -1 });
    expect(store.authenticate(live.client_secret)?.userId).toBe(live.user_id);
    expect(store.authenticate(expired.client_secret)).toBeUndefined();
    expect(store.authenticate('cks_fake_nope')).toBeUndefined();
  });

  it('keeps each user’s threads to that user', () => {
    const store = createStore();
    const thread = store.createThread('usr_a');
    expect(() => store.getThread('usr_b', thread.id)).toThrow(/does not exist/);
    expect(store.listThreads('usr_b', {}).data).toEqual([]);
    expect(store.listThreads('usr_a', {}).data.map((t) => t.id)).toEqual([thread.id]);
  });

  it('omits the title of an unnamed thread instead of sending null', () => {
    const store = createStore();
    const wire = store.toThread(store.createThread('usr_a'));
    expect('title' in wire).toBe(false);
    expect(wire).toMatchObject({
      status: { type: 'active' },
      metadata: {},
      items: { data: [], has_more: false },
    });
  });

  it('seeds items with ids in the reference style and refuses invalid ones', () => {
    const store = createStore();
    const thread = store.createThread('usr_a');
    const call = store.addItem(thread.id, {
      type: 'client_tool_call',
      status: 'pending',
      call_id: 'call_1',
      name: 'get_selection',
      arguments: {},
    });
    expect(call.id).toMatch(/^tc_[0-9a-f]{8}$/);
    expect(store.addItem(thread.id, { type: 'sdk_hidden_context', content: 'note' }).id).toMatch(/^shcx_/);
    expect(() => store.addItem(thread.id, { type: 'end_of_turn', created_at: 'yesterday' })).toThrow(
      MockContractError,
    );
  });

  it('signs upload URLs under its base URL and drops the descriptor once uploaded', () => {
    const store = createStore({ baseURL: 'https://api.example.com/' });
    const created = store.createAttachment('usr_a', { name: 'a.png', size: 3, mime_type: 'image/png' });
    const url = new URL(created.upload_descriptor?.url ?? '');
    expect(url.origin + url.pathname).toBe(
      `https://api.example.com/chatkit/attachments/${created.id}/upload`,
    );
    const signature = {
      expires: url.searchParams.get('expires') ?? '',
      sig: url.searchParams.get('sig') ?? '',
    };
    const uploaded = store.uploadAttachmentBytes(created.id, signature, new Uint8Array([1, 2, 3]));
    expect(uploaded.upload_descriptor).toBeUndefined();
    expect(uploaded.type === 'image' && uploaded.preview_url).toMatch(
      /\/preview\?expires=\d+&sig=[0-9a-f]+$/,
    );
  });

  it('queues scripted replies and falls back to its responder', async () => {
    const store = createStore({ responder: () => 'default' });
    store.respondWith('one', () => 'two');
    const context = {
      type: 'threads.create' as const,
      thread: store.toThread(store.createThread('usr_a')),
      items: [],
    };
    expect(store.pendingReplies).toBe(2);
    expect(await store.nextReply(context)).toBe('one');
    expect(await store.nextReply(context)).toBe('two');
    expect(await store.nextReply(context)).toBe('default');
  });

  it('forgets everything on reset', () => {
    const store = createStore();
    store.createSession();
    store.createThread('usr_a');
    store.respondWith('x');
    store.reset();
    expect(store.sessions).toEqual([]);
    expect(store.threadsOf('usr_a')).toEqual([]);
    expect(store.pendingReplies).toBe(0);
  });
});
