import { describe, expect, it } from 'vitest';
import { ChatKitRequest, ThreadStreamEvent } from '../../index.js';

// Output of the official ChatKit server and requests valid against its models (CHATKIT.md).
const goldenEvents = [
  '{"type":"thread.created","thread":{"id":"thr_a05234a0","created_at":"2026-11-21T22:30:04.957252","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}',
  '{"type":"thread.item.done","item":{"id":"msg_a3ca7e7b","thread_id":"thr_a05234a0","created_at":"2026-11-21T22:30:04.967953","type":"user_message","content":[{"type":"input_text","text":"Hi"}],"attachments":[],"inference_options":{}}}',
  '{"type":"stream_options","stream_options":{"allow_cancel":true}}',
  '{"type":"progress_update","icon":"search","text":"Thinking..."}',
  '{"type":"thread.item.added","item":{"id":"msg_70cf3550","thread_id":"thr_a05234a0","created_at":"2026-11-21T22:30:04.981947","type":"assistant_message","content":[]}}',
  '{"type":"thread.item.updated","item_id":"msg_70cf3550","update":{"type":"assistant_message.content_part.added","content_index":0,"content":{"annotations":[],"text":"","type":"output_text"}}}',
  '{"type":"thread.item.updated","item_id":"msg_70cf3550","update":{"type":"assistant_message.content_part.text_delta","content_index":0,"delta":"Hello"}}',
  '{"type":"thread.item.updated","item_id":"msg_70cf3550","update":{"type":"assistant_message.content_part.done","content_index":0,"content":{"annotations":[],"text":"Hello, world","type":"output_text"}}}',
  '{"type":"thread.item.done","item":{"id":"msg_70cf3550","thread_id":"thr_a05234a0","created_at":"2026-11-21T22:30:04.981947","type":"assistant_message","content":[{"annotations":[],"text":"Hello, world","type":"output_text"}]}}',
  '{"type":"thread.updated","thread":{"title":"Greeting","id":"thr_a05234a0","created_at":"2026-11-21T22:30:04.957252","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}',
  '{"type":"error","code":"custom","message":"Custom failure shown to user","allow_retry":true}',
  '{"type":"thread.item.done","item":{"id":"tc_1","thread_id":"thr_1","created_at":"2026-11-21T22:30:04.981947","type":"client_tool_call","status":"pending","call_id":"call_abc","name":"get_selection","arguments":{"project":"p1"}}}',
];

const goldenRequests = [
  '{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"Hi"}],"attachments":[],"inference_options":{}}}}',
  '{"type":"threads.add_user_message","params":{"thread_id":"thr_15f0b741","input":{"content":[{"type":"input_text","text":"fail"}],"attachments":["atc_c2b01e7f"],"inference_options":{"model":"gpt-x","tool_choice":{"id":"search"}}}}}',
  '{"type":"threads.add_client_tool_output","params":{"thread_id":"thr_7e58010e","result":{"nodes":[1,2]}}}',
  '{"type":"threads.custom_action","params":{"thread_id":"thr_7e58010e","item_id":"msg_ecc3b31f","action":{"type":"save","payload":{"id":1}}}}',
  '{"type":"threads.retry_after_item","params":{"thread_id":"thr_7e58010e","item_id":"msg_ece73fe1"}}',
  '{"type":"items.list","params":{"thread_id":"thr_7e58010e","order":"asc","limit":50}}',
];

describe('ChatKit schemas', () => {
  it.each(goldenEvents)('accept the official server event %s', (line) => {
    const parsed = ThreadStreamEvent.safeParse(JSON.parse(line));
    expect(parsed.error).toBeUndefined();
  });

  it.each(goldenRequests)('accept the request %s', (line) => {
    const parsed = ChatKitRequest.safeParse(JSON.parse(line));
    expect(parsed.error).toBeUndefined();
  });

  it('rejects a user message without the required attachments list', () => {
    const parsed = ChatKitRequest.safeParse({
      type: 'threads.create',
      params: { input: { content: [{ type: 'input_text', text: 'Hi' }], inference_options: {} } },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['params', 'input', 'attachments']);
  });

  it('rejects an unknown request type', () => {
    expect(ChatKitRequest.safeParse({ type: 'threads.explode', params: {} }).success).toBe(false);
  });

  it('fills the list defaults the protocol documents', () => {
    const parsed = ChatKitRequest.parse({ type: 'threads.list', params: {} });
    expect(parsed).toEqual({ type: 'threads.list', params: { order: 'desc' } });
  });
});
