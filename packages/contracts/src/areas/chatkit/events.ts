import * as z from 'zod/mini';
import { Annotation, IconName } from './common.js';
import { AssistantMessageContent, Task, Thread, ThreadItem } from './items.js';
import { WidgetComponent, WidgetRoot } from './widgets.js';

/** A change to an item that is still streaming, inside `thread.item.updated`. */
export const ThreadItemUpdate = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('assistant_message.content_part.added'),
    content_index: z.int(),
    content: AssistantMessageContent,
  }),
  z.object({
    type: z.literal('assistant_message.content_part.text_delta'),
    content_index: z.int(),
    delta: z.string(),
  }),
  z.object({
    type: z.literal('assistant_message.content_part.annotation_added'),
    content_index: z.int(),
    annotation_index: z.int(),
    annotation: Annotation,
  }),
  z.object({
    type: z.literal('assistant_message.content_part.done'),
    content_index: z.int(),
    content: AssistantMessageContent,
  }),
  z.object({
    type: z.literal('widget.streaming_text.value_delta'),
    component_id: z.string(),
    delta: z.string(),
    done: z.boolean(),
  }),
  z.object({ type: z.literal('widget.root.updated'), widget: WidgetRoot }),
  z.object({
    type: z.literal('widget.component.updated'),
    component_id: z.string(),
    component: WidgetComponent,
  }),
  z.object({ type: z.literal('workflow.task.added'), task_index: z.int(), task: Task }),
  z.object({ type: z.literal('workflow.task.updated'), task_index: z.int(), task: Task }),
  z.object({
    type: z.literal('generated_image.updated'),
    image: z.object({ id: z.string(), url: z.string() }),
    progress: z.optional(z.number()),
  }),
]);
export type ThreadItemUpdate = z.infer<typeof ThreadItemUpdate>;

/** One server-sent event of a streaming ChatKit response. */
export const ThreadStreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thread.created'), thread: Thread }),
  z.object({ type: z.literal('thread.updated'), thread: Thread }),
  z.object({ type: z.literal('thread.item.added'), item: ThreadItem }),
  z.object({ type: z.literal('thread.item.updated'), item_id: z.string(), update: ThreadItemUpdate }),
  z.object({ type: z.literal('thread.item.done'), item: ThreadItem }),
  z.object({ type: z.literal('thread.item.removed'), item_id: z.string() }),
  z.object({ type: z.literal('thread.item.replaced'), item: ThreadItem }),
  z.object({ type: z.literal('stream_options'), stream_options: z.object({ allow_cancel: z.boolean() }) }),
  z.object({ type: z.literal('progress_update'), text: z.string(), icon: z.optional(IconName) }),
  z.object({
    type: z.literal('client_effect'),
    name: z.string(),
    data: z._default(z.record(z.string(), z.unknown()), {}),
  }),
  z.object({
    type: z.literal('error'),
    code: z._default(z.enum(['stream.error', 'custom']), 'custom'),
    message: z.optional(z.string()),
    allow_retry: z._default(z.boolean(), false),
  }),
  z.object({
    type: z.literal('notice'),
    level: z.enum(['info', 'warning', 'danger']),
    message: z.string(),
    title: z.optional(z.string()),
  }),
]);
export type ThreadStreamEvent = z.infer<typeof ThreadStreamEvent>;

/** The `type` of every {@link ThreadStreamEvent}. */
export type ThreadStreamEventType = ThreadStreamEvent['type'];
