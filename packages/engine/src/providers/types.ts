/** @module The provider port: what a model backend is asked, and what it answers. */
import type { Annotation, StructuredInputQuestion, Task, WidgetRoot } from '@cartrita/contracts';

/** A turn of the conversation as a provider sees it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** For `tool` messages: the tool call answered. */
  toolName?: string;
}

/** What a provider is asked to do. */
export interface ProviderRequest {
  messages: ChatMessage[];
  model?: string;
  /** Sampling parameters the caller chose; unset ones come from the provider's configuration. */
  parameters?: { temperature?: number; max_tokens?: number; top_p?: number };
  /**
   * The composer tool the user picked for this message (`inference_options.tool_choice.id`). A
   * provider honours the tools it lists in `tools` and ignores any other.
   */
  toolChoice?: string;
  /** Aborted when the client goes away or cancels: the provider must stop promptly. */
  signal: AbortSignal;
}

/** A tool a user may pick in the composer for one message, as sessions report it. */
export interface ComposerTool {
  id: string;
  label: string;
}

/** Token counts of a reply. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * One piece of a provider's answer. Text arrives as deltas; the other kinds let an agent drive the
 * richer parts of the ChatKit protocol (tool calls, widgets, forms, progress, notices).
 */
export type ProviderChunk =
  | { type: 'text'; delta: string }
  /** A citation on the text so far (a URL, a file or an entity it drew on). */
  | { type: 'annotation'; annotation: Annotation }
  | { type: 'progress'; text: string; icon?: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'danger'; message: string; title?: string }
  | { type: 'client_tool_call'; name: string; arguments: Record<string, unknown> }
  | {
      type: 'widget';
      widget: WidgetRoot;
      copyText?: string;
      streamText?: { componentId: string; text: string };
    }
  | { type: 'structured_input'; inputs: StructuredInputQuestion[] }
  | { type: 'workflow'; kind: 'custom' | 'reasoning'; tasks: Task[] }
  | { type: 'error'; message: string; allowRetry: boolean }
  | { type: 'usage'; usage: Usage };

/** A whole, non-streamed reply. */
export interface ProviderCompletion {
  text: string;
  /** Token counts, when the upstream server reports them. */
  usage?: Usage;
  /** The model that answered, as the upstream server names it (`gpt-4o-mini-2024-07-18`). */
  model: string;
}

/** A widget's server action (`onClickAction` with `handler: "server"`), as the client sends it. */
export interface WidgetAction {
  type: string;
  payload?: unknown;
}

/** A model backend. `stream` yields chunks until the reply is complete or the signal aborts. */
export interface ChatProvider {
  readonly name: string;
  /** The model used when a request names none. */
  readonly defaultModel: string;
  /** Set by providers that call nothing upstream (`demo`): no limit, cache or provider span applies. */
  readonly offline?: boolean;
  /** The composer tools this provider honours when a message picks one. */
  readonly tools?: readonly ComposerTool[];
  stream(request: ProviderRequest): AsyncIterable<ProviderChunk>;
  /** The whole reply at once, for providers that answer faster that way than by streaming. */
  complete?(request: ProviderRequest): Promise<ProviderCompletion>;
  /**
   * Answers a server action of one of the provider's widgets with the widget as it should look
   * after it; `undefined` when the action is not the provider's.
   */
  action?(widget: WidgetRoot, action: WidgetAction): WidgetRoot | undefined;
}
