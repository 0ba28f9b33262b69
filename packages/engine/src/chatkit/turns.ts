/**
 * @module Turns: the streaming ChatKit requests and the chat doors' turns. A user's message (or a
 * tool's answer, a form, an action) goes into a thread, the provider answers, and the events are
 * saved by the protocol's rules as they stream.
 */
import type {
  AssistantMessageItem,
  Attachment,
  ChatKitRequest,
  ChatStage,
  ChatStageStatus,
  ClientToolCallItem,
  ModuleRunReport,
  StructuredInputItem,
  ThreadItem,
  ThreadStreamEvent,
  UserMessageInput,
  UserMessageItem,
} from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { newId, now } from '../ids.js';
import type { ChatProvider, ProviderRequest } from '../providers/types.js';
import type { ChatKitContext, ChatKitDeps } from './deps.js';
import { withExchange } from './exchange.js';
import { toChatMessages } from './history.js';
import { applyWidgetAction, requireItem } from './items.js';
import { saveEvents } from './persist.js';
import type { StoredItem, StoredThread } from './repositories.js';
import { type PreparedTurn, respondWhenReady, type TurnStats } from './respond.js';
import { toAttachment, toThread } from './serialize.js';
import { requireOpenThread, titleFrom } from './threads.js';

/** A user message for {@link startTurn}. */
export interface TurnInput {
  text: string;
  /** Continue this thread; a new one starts when absent. */
  threadId?: string;
  /** A provider by name; by default the one serving `model`. */
  provider?: string;
  model?: string;
  parameters?: ProviderRequest['parameters'];
  /** A system message the provider gets for this turn only (file-aware chat's passages); not stored. */
  context?: string;
  /** The persona of the conversation (seed 003): kept on the thread, its template the system prompt. */
  personaId?: string;
  /** Whether the caller may use a provider (its key's provider scopes); 403 when not. Default: any. */
  allowProvider?: (provider: string) => boolean;
  /** Told as the turn's stages run (see {@link TurnStageListener}); `/ws/chat` reports them. */
  onStage?: TurnStageListener;
}

/**
 * Told at the moment a stage of seed 003's pipeline starts and ends, while the turn runs: stages 1–2
 * (`prompt_resolution`: the persona's template and the triggered modules), `context` (the memories
 * recalled for the prompt), and `generation` as the provider is called. `failed` comes with what
 * failed; the turn goes on without that part. The end of `generation` and stages 4–5 are the
 * frames' to tell (`done`, `post_response`), since they follow the reply's last text.
 */
export type TurnStageListener = (stage: ChatStage, status: ChatStageStatus, error?: string) => void;

/** A started turn: where it lives and its events, which run the provider as they are read. */
export interface StartedTurn {
  thread: StoredThread;
  /** Whether the turn started the thread. */
  created: boolean;
  userMessageId: string;
  /** The id the assistant's reply will have. */
  messageId: string;
  /** Filled in while the turn runs: provider, model, usage and any failure. */
  stats: TurnStats;
  events: AsyncIterable<ThreadStreamEvent>;
  /**
   * Stages 4–5, once the events have ended with a complete reply: runs the after-reply modules the
   * message triggered and answers what they did (none when no module was triggered). The door runs
   * it, so that it can tell its client the reply is complete first. Never throws.
   */
  afterReply(reply: string, signal: AbortSignal): Promise<ModuleRunReport[]>;
}

/** Options of one assistant turn. */
interface TurnOptions {
  provider?: ChatProvider;
  stats?: TurnStats;
  parameters?: ProviderRequest['parameters'];
  messageId?: string;
  /** A system message put before the history for this turn only. */
  context?: string;
  onStage?: TurnStageListener;
  /** The composer tool the answered message picked (`inference_options.tool_choice.id`). */
  toolChoice?: string | undefined;
}

/** The composer tool a user message picked, as turn options. */
const toolOf = (options: UserMessageInput['inference_options']): TurnOptions => {
  const id = options.tool_choice?.id;
  return id ? { toolChoice: id } : {};
};

/**
 * The user's message as stored: its attachments (which must be the user's and uploaded) as the
 * protocol sends them, and the inference options the client set (every one that is not null).
 */
const userMessage = async (
  deps: ChatKitDeps,
  threadId: string,
  input: UserMessageInput,
  ctx: ChatKitContext,
): Promise<UserMessageItem> => {
  const attachments: Attachment[] = [];
  for (const id of input.attachments) {
    const record = await deps.repositories.attachments.get(id, ctx.userId);
    if (!record) throw HttpError.notFound('attachment', id);
    if (record.status !== 'uploaded') {
      throw new HttpError('CONFLICT', `Attachment ${id} has no bytes yet: upload it before sending.`, {
        details: { attachment_id: id },
      });
    }
    attachments.push(await toAttachment({ ...record, thread_id: threadId }, deps.urls, ctx.baseUrl, false));
  }
  return {
    id: newId('message'),
    thread_id: threadId,
    created_at: now(),
    type: 'user_message',
    content: input.content,
    attachments,
    ...(input.quoted_text ? { quoted_text: input.quoted_text } : {}),
    inference_options: Object.fromEntries(
      Object.entries(input.inference_options).filter(([, value]) => value !== null && value !== undefined),
    ),
  };
};

/** Every item of the thread, hidden ones included: what the provider is shown. */
const history = async (deps: ChatKitDeps, threadId: string): Promise<StoredItem[]> => {
  const items: StoredItem[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await deps.repositories.items.list(threadId, {
      limit: 100,
      order: 'asc',
      includeHidden: true,
      ...(after ? { after } : {}),
    });
    items.push(...page.data);
    if (!page.has_more || !page.after) return items;
    after = page.after;
  }
};

/** A 403 when the caller's key is scoped to other providers than `provider`. */
const checkProvider = (
  allowProvider: ((name: string) => boolean) | undefined,
  provider: ChatProvider,
): void => {
  if (allowProvider && !allowProvider(provider.name)) {
    throw new HttpError('FORBIDDEN', `This API key is scoped to other providers than "${provider.name}".`, {
      details: { provider: provider.name },
    });
  }
};

/** The assistant's turn over the thread's whole history. */
const assistantTurn = (
  deps: ChatKitDeps,
  thread: StoredThread,
  ctx: ChatKitContext,
  model?: string | null,
  options: TurnOptions = {},
): AsyncGenerator<ThreadStreamEvent> => {
  // Filled in with the provider and model once the turn starts.
  const stats = options.stats ?? { provider: '', model: '' };
  const prepare = async (): Promise<PreparedTurn> => {
    const provider = options.provider ?? deps.providers.forModel(model);
    const stage: TurnStageListener = options.onStage ?? (() => {});
    const past = toChatMessages(await history(deps, thread.id));
    const lastUser = [...past].reverse().find((message) => message.role === 'user');
    // Seed 003's order: the system prompt (stages 1–2), then the context around the history.
    stage('prompt_resolution', 'started');
    const failures: string[] = [];
    const system = await deps.systemPrompt?.({
      userId: ctx.userId,
      thread,
      text: lastUser?.content ?? '',
      signal: ctx.signal,
      failed: (message) => failures.push(message),
    });
    if (failures.length > 0) stage('prompt_resolution', 'failed', failures.join('; '));
    else stage('prompt_resolution', 'completed');
    stage('context', 'started');
    const recalled = (await deps.recall?.({ userId: ctx.userId, threadId: thread.id, messages: past })) ?? [];
    stage('context', 'completed');
    stage('generation', 'started');
    const messages = [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      ...(options.context ? [{ role: 'system' as const, content: options.context }] : []),
      ...recalled,
      ...past,
    ];
    return {
      provider,
      input: {
        threadId: thread.id,
        messages,
        signal: ctx.signal,
        ...(model ? { model } : {}),
        ...(options.parameters ? { parameters: options.parameters } : {}),
        ...(options.messageId ? { messageId: options.messageId } : {}),
        ...(options.toolChoice ? { toolChoice: options.toolChoice } : {}),
      },
    };
  };
  return respondWhenReady(prepare, stats, () => deps.onTurn?.({ ...stats, threadId: thread.id }));
};

/**
 * Wraps a turn's events with persistence, error events for failures inside the stream, and the
 * closing `thread.updated` when the turn gave the thread its first title.
 */
const persisted = (
  deps: ChatKitDeps,
  thread: StoredThread,
  ctx: ChatKitContext,
  events: () => AsyncGenerator<ThreadStreamEvent>,
  options: {
    stages?: 'with-after-reply' | 'without-after-reply';
    /** Events sent before the turn's own (the thread's creation, the user's message). */
    lead?: readonly ThreadStreamEvent[];
  } = {},
): AsyncIterable<ThreadStreamEvent> => {
  const { stages = 'with-after-reply', lead } = options;
  const { repositories } = deps;
  let firstInput: Pick<UserMessageInput, 'content'> | undefined;
  let reply: AssistantMessageItem | undefined;
  return saveEvents(repositories, thread.id, events(), ctx.signal, {
    ...(lead ? { lead } : {}),
    seen(event) {
      if (event.type === 'thread.item.done' && event.item.type === 'assistant_message') reply = event.item;
      if (
        !firstInput &&
        !thread.title &&
        event.type === 'thread.item.done' &&
        event.item.type === 'user_message'
      ) {
        firstInput = { content: event.item.content };
      }
    },
    failed(error) {
      deps.onStreamError?.(error);
      return error instanceof HttpError
        ? { type: 'error', code: 'custom', message: error.message, allow_retry: false }
        : { type: 'error', code: 'stream.error', allow_retry: true };
    },
    async *after() {
      const title = firstInput ? titleFrom(firstInput) : undefined;
      if (title) {
        const updated = await repositories.threads.update(thread.id, ctx.userId, { title });
        if (updated) yield { type: 'thread.updated', thread: toThread(updated) };
      }
      // The ChatKit protocol has no event for stages 4–5: its stream ends once they have run, and
      // their reports are on the assistant message.
      if (stages === 'with-after-reply' && reply && deps.afterReply) {
        await deps.afterReply({
          userId: ctx.userId,
          threadId: thread.id,
          messageId: reply.id,
          personaId: personaOf(thread),
          message: () => lastUserText(deps, thread.id),
          reply: reply.content.map((part) => part.text).join(''),
          signal: ctx.signal,
        });
      }
    },
  });
};

/** The persona a thread's conversation has, if any. */
const personaOf = (thread: StoredThread): string | null =>
  typeof thread.metadata.persona_id === 'string' ? thread.metadata.persona_id : null;

/** The text of the thread's latest user message: what a ChatKit turn answered. */
const lastUserText = async (deps: ChatKitDeps, threadId: string): Promise<string> => {
  const past = toChatMessages(await history(deps, threadId));
  return [...past].reverse().find((message) => message.role === 'user')?.content ?? '';
};

/**
 * The thread with `personaId` as its conversation's persona: a persona named by a request becomes
 * the conversation's, for this turn and the next ones.
 */
const withPersona = async (
  deps: ChatKitDeps,
  thread: StoredThread,
  personaId: string | undefined,
  ctx: ChatKitContext,
): Promise<StoredThread> =>
  personaId && thread.metadata.persona_id !== personaId
    ? ((await deps.repositories.threads.update(thread.id, ctx.userId, {
        metadata: { ...thread.metadata, persona_id: personaId },
      })) ?? thread)
    : thread;

/** What `inference_options.model` picks for a `/chatkit` turn. */
interface ModelPick {
  provider: ChatProvider;
  model?: string;
  personaId?: string;
}

/**
 * `inference_options.model` is ChatKit's one field for choosing who answers, so it takes an agent of
 * `GET /api/agents` too: `provider/model` or a provider's name picks that provider (503 when it is
 * not configured), a persona id of the caller picks that persona on the default provider. Any other
 * value is a model name, served by the provider that has it.
 */
const pickModel = async (
  deps: ChatKitDeps,
  model: string | null | undefined,
  ctx: ChatKitContext,
): Promise<ModelPick> => {
  const choice = model ? await deps.findAgent?.(model, ctx.userId) : undefined;
  if (!choice) return { provider: deps.providers.forModel(model), ...(model ? { model } : {}) };
  return {
    provider: choice.provider ? deps.providers.byName(choice.provider) : deps.providers.forModel(undefined),
    ...(choice.model ? { model: choice.model } : {}),
    ...(choice.personaId ? { personaId: choice.personaId } : {}),
  };
};

/**
 * A `/chatkit` turn: persisted, and kept as a chat exchange once it completed (the other doors keep
 * theirs through the chat service, which knows the reply's frames).
 */
const keptTurn = (
  deps: ChatKitDeps,
  thread: StoredThread,
  ctx: ChatKitContext,
  events: () => AsyncGenerator<ThreadStreamEvent>,
): AsyncIterable<ThreadStreamEvent> => withExchange(deps, thread, ctx, persisted(deps, thread, ctx, events));

/**
 * One chat turn for the doors other than ChatKit (`/api/chat`, `/chat/`, `/ws/chat`): the user's text
 * goes into a new thread, or into `threadId`, and the reply streams as ChatKit events, persisted by
 * the same rules. Errors found before the turn starts (unknown thread, unconfigured provider) throw.
 */
export const startTurn = async (
  deps: ChatKitDeps,
  input: TurnInput,
  ctx: ChatKitContext,
): Promise<StartedTurn> => {
  const provider = input.provider
    ? deps.providers.byName(input.provider)
    : deps.providers.forModel(input.model);
  checkProvider(input.allowProvider ?? ctx.allowProvider, provider);
  const model = input.model ?? provider.defaultModel;
  const stats: TurnStats = { provider: provider.name, model };
  const content: UserMessageInput = {
    content: [{ type: 'input_text', text: input.text }],
    attachments: [],
    inference_options: input.model ? { model: input.model } : {},
  };
  if (input.personaId) await deps.checkPersona?.(ctx.userId, input.personaId);
  const found = input.threadId ? await requireOpenThread(deps, input.threadId, ctx) : undefined;
  const existing = found ? await withPersona(deps, found, input.personaId, ctx) : undefined;
  const threadId = existing?.id ?? newId('thread');
  const message = await userMessage(deps, threadId, content, ctx);
  const thread =
    existing ??
    (await deps.repositories.threads.create({
      id: threadId,
      user_id: ctx.userId,
      ...(input.personaId ? { metadata: { persona_id: input.personaId } } : {}),
    }));
  const messageId = newId('message');
  const lead: ThreadStreamEvent[] = [
    ...(existing ? [] : [{ type: 'thread.created' as const, thread: toThread(thread) }]),
    { type: 'thread.item.done', item: message },
  ];
  const events = persisted(
    deps,
    thread,
    ctx,
    () =>
      assistantTurn(deps, thread, ctx, model, {
        provider,
        stats,
        messageId,
        ...(input.parameters ? { parameters: input.parameters } : {}),
        ...(input.context ? { context: input.context } : {}),
        ...(input.onStage ? { onStage: input.onStage } : {}),
      }),
    { stages: 'without-after-reply', lead },
  );
  const afterReply = async (reply: string, signal: AbortSignal): Promise<ModuleRunReport[]> =>
    deps.afterReply
      ? deps.afterReply({
          userId: ctx.userId,
          threadId: thread.id,
          messageId,
          personaId: personaOf(thread),
          message: input.text,
          reply,
          signal,
        })
      : [];
  return { thread, created: !existing, userMessageId: message.id, messageId, stats, events, afterReply };
};

const streamOptions: ThreadStreamEvent = { type: 'stream_options', stream_options: { allow_cancel: true } };

/**
 * A streaming ChatKit request, checked before anything streams (unknown thread 404, closed thread
 * 409, unconfigured provider 503 are thrown), then its events, which run the turn as they are read.
 */
export const prepareStream = async (
  deps: ChatKitDeps,
  request: ChatKitRequest,
  ctx: ChatKitContext,
): Promise<AsyncIterable<ThreadStreamEvent>> => {
  const { repositories } = deps;
  switch (request.type) {
    case 'threads.create': {
      const input = request.params.input;
      const pick = await pickModel(deps, input.inference_options.model, ctx);
      checkProvider(ctx.allowProvider, pick.provider);
      const threadId = newId('thread');
      const message = await userMessage(deps, threadId, input, ctx);
      const thread = await repositories.threads.create({
        id: threadId,
        user_id: ctx.userId,
        ...(pick.personaId ? { metadata: { persona_id: pick.personaId } } : {}),
      });
      await repositories.attachments.attachToThread(input.attachments, thread.id, ctx.userId);
      return keptTurn(deps, thread, ctx, async function* () {
        yield { type: 'thread.created', thread: toThread(thread) };
        yield { type: 'thread.item.done', item: message };
        yield streamOptions;
        yield* assistantTurn(deps, thread, ctx, pick.model ?? pick.provider.defaultModel, {
          provider: pick.provider,
          ...toolOf(input.inference_options),
        });
      });
    }
    case 'threads.add_user_message': {
      const found = await requireOpenThread(deps, request.params.thread_id, ctx);
      const input = request.params.input;
      const pick = await pickModel(deps, input.inference_options.model, ctx);
      checkProvider(ctx.allowProvider, pick.provider);
      const thread = await withPersona(deps, found, pick.personaId, ctx);
      const message = await userMessage(deps, thread.id, input, ctx);
      await repositories.attachments.attachToThread(input.attachments, thread.id, ctx.userId);
      return keptTurn(deps, thread, ctx, async function* () {
        yield { type: 'thread.item.done', item: message };
        yield streamOptions;
        yield* assistantTurn(deps, thread, ctx, pick.model, {
          provider: pick.provider,
          ...toolOf(input.inference_options),
        });
      });
    }
    case 'threads.add_client_tool_output': {
      const thread = await requireOpenThread(deps, request.params.thread_id, ctx);
      const latest = await repositories.items.list(thread.id, { limit: 1, order: 'desc' });
      const call = latest.data[0];
      if (call?.type !== 'client_tool_call' || call.status !== 'pending') {
        throw new HttpError('CONFLICT', `Thread ${thread.id} has no pending client tool call to answer.`);
      }
      const completed = {
        ...(call as ClientToolCallItem),
        status: 'completed' as const,
        output: request.params.result,
      };
      await repositories.items.save(thread.id, completed as StoredItem);
      return keptTurn(deps, thread, ctx, async function* () {
        yield streamOptions;
        yield* assistantTurn(deps, thread, ctx);
      });
    }
    case 'threads.add_structured_input': {
      const thread = await requireOpenThread(deps, request.params.thread_id, ctx);
      const item = await requireItem(deps, thread.id, request.params.item_id);
      if (item.type !== 'structured_input' || item.status !== 'pending') {
        throw new HttpError('CONFLICT', `Item ${item.id} is not a pending structured input.`);
      }
      const { status, answers } = request.params.input;
      const answered: StructuredInputItem = {
        ...(item as StructuredInputItem),
        status,
        inputs: (item as StructuredInputItem).inputs.map((question) => {
          const answer = status === 'skipped' ? { values: [], skipped: true } : answers[question.id];
          return answer ? { ...question, answer } : question;
        }),
      };
      return keptTurn(deps, thread, ctx, async function* () {
        yield streamOptions;
        yield { type: 'thread.item.replaced', item: answered };
        yield* assistantTurn(deps, thread, ctx);
      });
    }
    case 'threads.retry_after_item': {
      const thread = await requireOpenThread(deps, request.params.thread_id, ctx);
      const item = await requireItem(deps, thread.id, request.params.item_id);
      if (item.type !== 'user_message') {
        throw new HttpError(
          'BAD_REQUEST',
          `Item ${item.id} is not a user message; only user messages can be retried.`,
        );
      }
      const pick = await pickModel(deps, (item as UserMessageItem).inference_options.model, ctx);
      checkProvider(ctx.allowProvider, pick.provider);
      await repositories.items.deleteAfter(thread.id, item.id);
      const { inference_options } = item as UserMessageItem;
      return keptTurn(deps, thread, ctx, async function* () {
        yield streamOptions;
        yield* assistantTurn(deps, thread, ctx, pick.model, {
          provider: pick.provider,
          ...toolOf(inference_options),
        });
      });
    }
    case 'threads.custom_action': {
      const thread = await requireOpenThread(deps, request.params.thread_id, ctx);
      const itemId = request.params.item_id;
      const item = itemId ? await requireItem(deps, thread.id, itemId) : undefined;
      const { action } = request.params;
      return keptTurn(deps, thread, ctx, async function* () {
        yield streamOptions;
        if (item && item.type !== 'widget') {
          yield { type: 'error', code: 'stream.error', allow_retry: false };
          return;
        }
        const updated = item ? applyWidgetAction(deps, item, action) : undefined;
        // A provider that answered the action has said all it has to: the changed widget is the
        // answer. Another turn would answer the last user message a second time.
        if (updated) {
          yield { type: 'thread.item.replaced', item: updated as unknown as ThreadItem };
          return;
        }
        yield* assistantTurn(deps, thread, ctx);
      });
    }
    default:
      throw new HttpError('BAD_REQUEST', `Request type ${request.type} does not stream.`);
  }
};
