/** @module One assistant turn: a provider's chunks as ChatKit events, in the official server's order. */
import type {
  AssistantMessageItem,
  ThreadItem,
  ThreadStreamEvent,
  WidgetItem,
  WorkflowItem,
} from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { newId, now } from '../ids.js';
import type { ChatMessage, ChatProvider, ProviderChunk, ProviderRequest, Usage } from '../providers/types.js';
import { GrowingText, tokenize } from '../text.js';
import { setComponentValue } from './widgets.js';

/** What one assistant turn needs. */
export interface RespondInput {
  threadId: string;
  messages: ChatMessage[];
  model?: string;
  parameters?: ProviderRequest['parameters'];
  /** The composer tool the user picked for the message answered. */
  toolChoice?: string;
  /** The id of the first assistant message, when the caller must know it before the reply starts. */
  messageId?: string;
  signal: AbortSignal;
}

/** Filled in while the turn runs, for the caller to record. */
export interface TurnStats {
  usage?: Usage;
  provider: string;
  model: string;
  /** The provider's failure, when the turn ended with one. */
  error?: unknown;
}

/**
 * Runs one assistant turn: streams the provider's chunks and turns them into ChatKit events, in the
 * order the official server sends them. Persistence is not done here (see `persistEvents`).
 */
export function respond(
  provider: ChatProvider,
  input: RespondInput,
  stats: TurnStats,
): AsyncGenerator<ThreadStreamEvent> {
  return respondWhenReady(async () => ({ provider, input }), stats);
}

/** A turn's provider and what it needs, found once the turn starts. */
export interface PreparedTurn {
  provider: ChatProvider;
  input: RespondInput;
}

/**
 * {@link respond}, with the provider and its input found once the turn starts (reading the history
 * and the system prompt), in the same generator: each generator between the provider and the
 * connection holds a few hundred bytes for as long as the reply streams. `onEnd` runs when the
 * reply ended without being cancelled.
 */
export async function* respondWhenReady(
  prepare: () => Promise<PreparedTurn>,
  stats: TurnStats,
  onEnd?: () => void,
): AsyncGenerator<ThreadStreamEvent> {
  const { provider, input } = await prepare();
  const { threadId, signal } = input;
  stats.provider = provider.name;
  stats.model = input.model ?? provider.defaultModel;
  let message: AssistantMessageItem | undefined;
  /** The open message's text, written into the message when it closes. */
  let text = new GrowingText();
  let nextMessageId = input.messageId;

  const base = (id: string) => ({ id, thread_id: threadId, created_at: now() });

  function* openMessage(): Generator<ThreadStreamEvent> {
    if (message) return;
    message = { ...base(nextMessageId ?? newId('message')), type: 'assistant_message', content: [] };
    nextMessageId = undefined;
    yield { type: 'thread.item.added', item: structuredClone(message) };
    message.content.push({ type: 'output_text', text: '', annotations: [] });
    yield {
      type: 'thread.item.updated',
      item_id: message.id,
      update: {
        type: 'assistant_message.content_part.added',
        content_index: 0,
        content: { type: 'output_text', text: '', annotations: [] },
      },
    };
  }

  function* closeMessage(): Generator<ThreadStreamEvent> {
    if (!message) return;
    const part = message.content[0]!;
    part.text = text.toString();
    text = new GrowingText();
    yield {
      type: 'thread.item.updated',
      item_id: message.id,
      update: { type: 'assistant_message.content_part.done', content_index: 0, content: { ...part } },
    };
    yield { type: 'thread.item.done', item: message };
    message = undefined;
  }

  /** Adds text to the open message: its `text_delta` event. */
  const appendText = (delta: string): ThreadStreamEvent => {
    text.append(delta);
    return {
      type: 'thread.item.updated',
      item_id: message!.id,
      update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
    };
  };

  function* emit(item: ThreadItem): Generator<ThreadStreamEvent> {
    yield* closeMessage();
    yield { type: 'thread.item.done', item };
  }

  const handle = function* (chunk: ProviderChunk): Generator<ThreadStreamEvent> {
    switch (chunk.type) {
      case 'text':
        yield* openMessage();
        yield appendText(chunk.delta);
        break;
      case 'annotation': {
        yield* openMessage();
        const annotations = message!.content[0]!.annotations;
        annotations.push(chunk.annotation);
        yield {
          type: 'thread.item.updated',
          item_id: message!.id,
          update: {
            type: 'assistant_message.content_part.annotation_added',
            content_index: 0,
            annotation_index: annotations.length - 1,
            annotation: chunk.annotation,
          },
        };
        break;
      }
      case 'progress':
        yield { type: 'progress_update', text: chunk.text, ...(chunk.icon ? { icon: chunk.icon } : {}) };
        break;
      case 'notice':
        yield {
          type: 'notice',
          level: chunk.level,
          message: chunk.message,
          ...(chunk.title ? { title: chunk.title } : {}),
        };
        break;
      case 'client_tool_call':
        yield* emit({
          ...base(newId('clientToolCall')),
          type: 'client_tool_call',
          status: 'pending',
          call_id: newId('clientToolCall', 8).replace(/^tc_/, 'call_'),
          name: chunk.name,
          arguments: chunk.arguments,
        });
        break;
      case 'widget': {
        yield* closeMessage();
        const item: WidgetItem = {
          ...base(newId('message')),
          type: 'widget',
          widget: chunk.widget,
          ...(chunk.copyText ? { copy_text: chunk.copyText } : {}),
        };
        if (chunk.streamText) {
          yield { type: 'thread.item.added', item: structuredClone(item) };
          const tokens = tokenize(chunk.streamText.text);
          for (const [i, delta] of tokens.entries()) {
            yield {
              type: 'thread.item.updated',
              item_id: item.id,
              update: {
                type: 'widget.streaming_text.value_delta',
                component_id: chunk.streamText.componentId,
                delta,
                done: i === tokens.length - 1,
              },
            };
          }
          item.widget = setComponentValue(item.widget, chunk.streamText.componentId, chunk.streamText.text);
        }
        yield { type: 'thread.item.done', item };
        break;
      }
      case 'structured_input':
        yield* emit({
          ...base(newId('message')),
          type: 'structured_input',
          status: 'pending',
          inputs: chunk.inputs,
        });
        break;
      case 'workflow': {
        const item: WorkflowItem = {
          ...base(newId('workflow')),
          type: 'workflow',
          workflow: { type: chunk.kind, tasks: chunk.tasks, expanded: false },
        };
        yield* emit(item);
        break;
      }
      case 'error':
        yield* closeMessage();
        yield { type: 'error', code: 'custom', message: chunk.message, allow_retry: chunk.allowRetry };
        break;
      case 'usage':
        stats.usage = chunk.usage;
        break;
    }
  };

  try {
    const request: ProviderRequest = {
      messages: input.messages,
      model: stats.model,
      signal,
      ...(input.toolChoice ? { toolChoice: input.toolChoice } : {}),
    };
    if (input.parameters) request.parameters = input.parameters;
    for await (const chunk of provider.stream(request)) {
      if (chunk.type === 'text' && message) {
        // Most chunks are more text of the open message: one event, without a generator per chunk.
        yield appendText(chunk.delta);
      } else {
        yield* handle(chunk);
      }
      if (signal.aborted) break;
    }
  } catch (error) {
    if (signal.aborted) throw error;
    // A provider failure mid-reply keeps what was said and tells the client it may retry. An expected
    // failure (the provider's rate limit, a refused key) says what happened; anything else stays generic.
    stats.error = error;
    yield* closeMessage();
    yield error instanceof HttpError
      ? { type: 'error', code: 'custom', message: error.message, allow_retry: true }
      : { type: 'error', code: 'stream.error', allow_retry: true };
    onEnd?.();
    return;
  }
  if (signal.aborted) throw signal.reason;
  yield* closeMessage();
  onEnd?.();
}
