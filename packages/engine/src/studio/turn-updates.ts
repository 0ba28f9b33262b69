/**
 * @module A chat turn told as seed 004's live updates: its reply as it streams (`chat_update`), its
 * stages (`agent_execution_update`), its steps (`plan_graph_update`) and, when it ends, what it used
 * (`execution_monitoring_update`). Published on the session's topic, so a `WS /ws/{client_id}` that
 * subscribed to the session sees them from any instance.
 */
import type { AgentStage, ChatStreamFrame, PlanNode, StudioSessionUpdate, Usage } from '@cartrita/contracts';
import type { EventBus } from '../events.js';
import type { EngineLogger } from '../logger.js';
import { studioSessionTopic } from './topics.js';

/** How often streamed text is published at most: pieces that arrive in between go out together. */
export const chatUpdateIntervalMs = 50;

/** What a turn is. */
export interface TurnUpdatesOptions {
  bus: EventBus;
  logger: EngineLogger;
  userId: string;
  sessionId: string;
  responseId: string;
  provider: string;
  model: string;
  /** Whether the turn's plan is published (`plan_graph_update`); the `planner` section's `enabled`. */
  publishPlan?: boolean;
}

/** Follows one turn's frames and publishes what a studio client sees of it. */
export class TurnUpdates {
  readonly #options: TurnUpdatesOptions;
  readonly #topic: string;
  readonly #startedAt = performance.now();
  readonly #nodes: PlanNode[] = [
    { id: 'input', label: 'Read the message and its context', status: 'done' },
    { id: 'model', label: 'Ask the model', status: 'running' },
    { id: 'reply', label: 'Stream the reply', status: 'pending' },
  ];
  #firstTextAt: number | undefined;
  #pending = '';
  #chunks = 0;
  #steps = 0;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TurnUpdatesOptions) {
    this.#options = options;
    this.#topic = studioSessionTopic(options.userId, options.sessionId);
    this.#stage('started', null);
    this.#plan();
  }

  /** One frame of the turn's reply. */
  frame(frame: ChatStreamFrame): void {
    if (frame.type === 'chunk') {
      if (this.#firstTextAt === undefined) {
        this.#firstTextAt = performance.now();
        this.#stage('streaming', null);
        this.#set('model', 'done');
        this.#set('reply', 'running');
        this.#plan();
      }
      this.#chunks += 1;
      this.#pending += frame.content;
      this.#flushTimer ??= setTimeout(() => this.#flush(), chatUpdateIntervalMs);
    } else if (frame.type === 'progress') {
      this.#steps += 1;
      const id = `step-${this.#steps}`;
      // A step runs before the reply it informs: it goes in before `reply`, after the steps before it.
      this.#nodes.splice(this.#nodes.length - 1, 0, { id, label: frame.text, status: 'running' });
      for (const node of this.#nodes) if (node.id.startsWith('step-') && node.id !== id) node.status = 'done';
      this.#stage('step', frame.text);
      this.#plan();
    }
  }

  /** The turn ended: the whole reply (`text`), how it ended, and what it used. */
  end(
    status: 'completed' | 'failed' | 'cancelled',
    text: string,
    usage: Usage | undefined,
    failure: string | undefined,
  ): void {
    this.#flush();
    const { sessionId, responseId, provider, model } = this.#options;
    this.#publish({
      type: 'chat_update',
      session_id: sessionId,
      response_id: responseId,
      message: text,
      is_complete: true,
    });
    this.#stage(status, status === 'failed' ? (failure ?? 'The reply failed') : null);
    for (const node of this.#nodes) {
      if (node.status === 'running') node.status = status === 'completed' ? 'done' : 'failed';
      else if (node.status === 'pending') node.status = status === 'completed' ? 'done' : 'skipped';
    }
    this.#plan();
    const endedAt = performance.now();
    this.#publish({
      type: 'execution_monitoring_update',
      session_id: sessionId,
      response_id: responseId,
      provider,
      model,
      status,
      duration_ms: round(endedAt - this.#startedAt),
      time_to_first_token_ms:
        this.#firstTextAt === undefined ? null : round(this.#firstTextAt - this.#startedAt),
      chunks: this.#chunks,
      characters: text.length,
      usage: usage ?? null,
    });
  }

  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#pending === '') return;
    const message = this.#pending;
    this.#pending = '';
    this.#publish({
      type: 'chat_update',
      session_id: this.#options.sessionId,
      response_id: this.#options.responseId,
      message,
      is_complete: false,
    });
  }

  #set(id: string, status: PlanNode['status']): void {
    const node = this.#nodes.find((each) => each.id === id);
    if (node) node.status = status;
  }

  #stage(stage: AgentStage, detail: string | null): void {
    this.#publish({
      type: 'agent_execution_update',
      session_id: this.#options.sessionId,
      response_id: this.#options.responseId,
      stage,
      detail,
      timestamp: new Date().toISOString(),
    });
  }

  #plan(): void {
    if (this.#options.publishPlan === false) return;
    const nodes = this.#nodes.map((node) => ({ ...node }));
    this.#publish({
      type: 'plan_graph_update',
      session_id: this.#options.sessionId,
      response_id: this.#options.responseId,
      nodes,
      edges: nodes.slice(1).map((node, index) => ({ from: (nodes[index] as PlanNode).id, to: node.id })),
    });
  }

  /** Publishes without holding the reply up; a bus that fails loses the update, not the reply. */
  #publish(update: StudioSessionUpdate): void {
    // Studio clients follow a session live (they never resume it with `after`): nothing to keep.
    this.#options.bus.publish(this.#topic, update, { replay: false }).catch((error: unknown) => {
      this.#options.logger.warn(
        { err: error, responseId: this.#options.responseId },
        'A live update of a chat turn could not be published',
      );
    });
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
