import * as z from 'zod/mini';
import { Attachment } from './attachments.js';
import { Annotation, DateTime, IconName } from './common.js';
import { WidgetRoot } from './widgets.js';

/** A piece of what the user typed: plain text or an @-mention tag. */
export const UserMessageContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text: z.string() }),
  z.object({
    type: z.literal('input_tag'),
    id: z.string(),
    text: z.string(),
    data: z._default(z.record(z.string(), z.unknown()), {}),
    group: z.optional(z.nullable(z.string())),
    interactive: z._default(z.boolean(), false),
  }),
]);
export type UserMessageContent = z.infer<typeof UserMessageContent>;

/** The tool and model the user picked in the composer. */
export const InferenceOptions = z.object({
  tool_choice: z.optional(z.nullable(z.object({ id: z.string() }))),
  model: z.optional(z.nullable(z.string())),
});
export type InferenceOptions = z.infer<typeof InferenceOptions>;

/** A message as the client sends it: `attachments` are ids; both `attachments` and `inference_options` are required. */
export const UserMessageInput = z.object({
  content: z.array(UserMessageContent),
  attachments: z.array(z.string()),
  quoted_text: z.optional(z.nullable(z.string())),
  inference_options: InferenceOptions,
});
export type UserMessageInput = z.infer<typeof UserMessageInput>;

/** One part of an assistant message. */
export const AssistantMessageContent = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z._default(z.array(Annotation), []),
});
export type AssistantMessageContent = z.infer<typeof AssistantMessageContent>;

const statusIndicator = z._default(z.enum(['none', 'loading', 'complete']), 'none');
const URLSource = z.object({ type: z.literal('url'), title: z.string(), url: z.string() });
const FileSource = z.object({ type: z.literal('file'), title: z.string(), filename: z.string() });

/** A step of a workflow: custom, web search, thought, file or image. */
export const Task = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('custom'),
    status_indicator: statusIndicator,
    title: z.optional(z.string()),
    icon: z.optional(IconName),
    content: z.optional(z.string()),
  }),
  z.object({
    type: z.literal('web_search'),
    status_indicator: statusIndicator,
    title: z.optional(z.string()),
    title_query: z.optional(z.string()),
    queries: z._default(z.array(z.string()), []),
    sources: z._default(z.array(z.looseObject(URLSource.shape)), []),
  }),
  z.object({
    type: z.literal('thought'),
    status_indicator: statusIndicator,
    title: z.optional(z.string()),
    content: z.string(),
  }),
  z.object({
    type: z.literal('file'),
    status_indicator: statusIndicator,
    title: z.optional(z.string()),
    sources: z._default(z.array(z.looseObject(FileSource.shape)), []),
  }),
  z.object({ type: z.literal('image'), status_indicator: statusIndicator, title: z.optional(z.string()) }),
]);
export type Task = z.infer<typeof Task>;

/** A chain of tasks shown as one card (`reasoning` for chain of thought). */
export const Workflow = z.object({
  type: z.enum(['custom', 'reasoning']),
  tasks: z.array(Task),
  summary: z.optional(
    z.union([z.object({ title: z.string(), icon: z.optional(IconName) }), z.object({ duration: z.int() })]),
  ),
  expanded: z._default(z.boolean(), false),
});
export type Workflow = z.infer<typeof Workflow>;

/** The answer to one structured input question. */
export const StructuredInputAnswer = z.object({
  values: z._default(z.array(z.string()), []),
  skipped: z._default(z.boolean(), false),
});
export type StructuredInputAnswer = z.infer<typeof StructuredInputAnswer>;

/** A question the assistant asks with a form: multiple choice or free text. */
export const StructuredInputQuestion = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('multiple_choice'),
    id: z.string(),
    question: z.string(),
    options: z.array(z.object({ value: z.string() })),
    multiple: z._default(z.boolean(), false),
    answer: z.optional(StructuredInputAnswer),
  }),
  z.object({
    type: z.literal('freeform'),
    id: z.string(),
    question: z.string(),
    description: z.optional(z.string()),
    answer: z.optional(StructuredInputAnswer),
  }),
]);
export type StructuredInputQuestion = z.infer<typeof StructuredInputQuestion>;

const ItemBase = { id: z.string(), thread_id: z.string(), created_at: DateTime };

export const UserMessageItem = z.object({
  ...ItemBase,
  type: z.literal('user_message'),
  content: z.array(UserMessageContent),
  attachments: z.array(Attachment),
  quoted_text: z.optional(z.string()),
  inference_options: InferenceOptions,
});
export type UserMessageItem = z.infer<typeof UserMessageItem>;

export const AssistantMessageItem = z.object({
  ...ItemBase,
  type: z.literal('assistant_message'),
  content: z.array(AssistantMessageContent),
});
export type AssistantMessageItem = z.infer<typeof AssistantMessageItem>;

export const ClientToolCallItem = z.object({
  ...ItemBase,
  type: z.literal('client_tool_call'),
  status: z.enum(['pending', 'completed']),
  call_id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  output: z.optional(z.unknown()),
});
export type ClientToolCallItem = z.infer<typeof ClientToolCallItem>;

export const WidgetItem = z.object({
  ...ItemBase,
  type: z.literal('widget'),
  widget: WidgetRoot,
  copy_text: z.optional(z.string()),
});
export type WidgetItem = z.infer<typeof WidgetItem>;

export const GeneratedImageItem = z.object({
  ...ItemBase,
  type: z.literal('generated_image'),
  image: z.optional(z.object({ id: z.string(), url: z.string() })),
});
export type GeneratedImageItem = z.infer<typeof GeneratedImageItem>;

export const StructuredInputItem = z.object({
  ...ItemBase,
  type: z.literal('structured_input'),
  status: z.enum(['pending', 'answered', 'skipped']),
  inputs: z.array(StructuredInputQuestion),
});
export type StructuredInputItem = z.infer<typeof StructuredInputItem>;

export const WorkflowItem = z.object({ ...ItemBase, type: z.literal('workflow'), workflow: Workflow });
export type WorkflowItem = z.infer<typeof WorkflowItem>;

export const TaskItem = z.object({ ...ItemBase, type: z.literal('task'), task: Task });
export type TaskItem = z.infer<typeof TaskItem>;

export const EndOfTurnItem = z.object({ ...ItemBase, type: z.literal('end_of_turn') });
export type EndOfTurnItem = z.infer<typeof EndOfTurnItem>;

/** An item of a thread as clients see it. */
export const ThreadItem = z.discriminatedUnion('type', [
  UserMessageItem,
  AssistantMessageItem,
  ClientToolCallItem,
  WidgetItem,
  GeneratedImageItem,
  StructuredInputItem,
  WorkflowItem,
  TaskItem,
  EndOfTurnItem,
]);
export type ThreadItem = z.infer<typeof ThreadItem>;

/** Server-only items: stored for the model's context, never sent to a client. */
export const HiddenContextItem = z.discriminatedUnion('type', [
  z.object({ ...ItemBase, type: z.literal('hidden_context_item'), content: z.unknown() }),
  z.object({ ...ItemBase, type: z.literal('sdk_hidden_context'), content: z.string() }),
]);
export type HiddenContextItem = z.infer<typeof HiddenContextItem>;

/** The item types a client never receives. */
export const hiddenItemTypes: readonly string[] = ['hidden_context_item', 'sdk_hidden_context'];

/** Whether a thread accepts new messages. */
export const ThreadStatus = z.discriminatedUnion('type', [
  z.object({ type: z.literal('active') }),
  z.object({ type: z.literal('locked'), reason: z.optional(z.string()) }),
  z.object({ type: z.literal('closed'), reason: z.optional(z.string()) }),
]);
export type ThreadStatus = z.infer<typeof ThreadStatus>;

/** A thread with the first page of its items (empty in lists and updates). */
export const Thread = z.object({
  id: z.string(),
  title: z.optional(z.string()),
  created_at: DateTime,
  status: ThreadStatus,
  allowed_image_domains: z.optional(z.array(z.string())),
  metadata: z.record(z.string(), z.unknown()),
  items: z.object({ data: z.array(ThreadItem), has_more: z.boolean(), after: z.optional(z.string()) }),
});
export type Thread = z.infer<typeof Thread>;
