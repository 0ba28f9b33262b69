/**
 * @module Engines of seed 001: `DummyEngine`, and one engine type per chat provider, whose calls go
 * through the same provider layer as the chat doors.
 */
import type {
  EngineCreateRequest,
  EngineDeleted,
  EngineExecuteRequest,
  EngineExecution,
  EngineList,
  EngineListQuery,
  Engine as WireEngine,
} from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { newId } from '../ids.js';
import { completeWith } from '../providers/complete.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ChatMessage } from '../providers/types.js';
import type { SessionCaller } from '../sessions/access.js';
import type { SessionAreaDeps } from '../sessions/deps.js';
import type { EventService } from '../sessions/event-service.js';
import type { SessionService } from '../sessions/session-service.js';
import { metrics, spanAttributes } from '../telemetry.js';
import { dummyEngineType, dummyReply, dummyStatusEvent } from './dummy.js';
import type { StoredEngine } from './repositories.js';

/** Options of {@link EngineService}. */
export interface EngineServiceOptions {
  /**
   * Provider engine types the server knows of besides the configured providers (`openai`): they may
   * be created anywhere, and their calls answer 503 `PROVIDER_NOT_CONFIGURED` until configured.
   */
  knownProviders?: readonly string[];
}

const toEngine = (engine: StoredEngine): WireEngine => ({
  engine_id: engine.id,
  engine_type: engine.engine_type,
  model_name: engine.model_name,
  status: engine.status,
  session_id: engine.session_id,
  configuration: engine.configuration,
  usage: {
    executions: engine.executions,
    input_tokens: engine.input_tokens,
    output_tokens: engine.output_tokens,
  },
  created_at: engine.created_at,
  last_used_at: engine.last_used_at,
});

/** Engines of seed 001. */
export class EngineService {
  readonly #deps: SessionAreaDeps;
  readonly #sessions: SessionService;
  readonly #events: EventService;
  readonly #providers: ProviderRegistry;
  readonly #known: readonly string[];

  constructor(
    deps: SessionAreaDeps,
    sessions: SessionService,
    events: EventService,
    providers: ProviderRegistry,
    options: EngineServiceOptions = {},
  ) {
    this.#deps = deps;
    this.#sessions = sessions;
    this.#events = events;
    this.#providers = providers;
    this.#known = options.knownProviders ?? ['openai'];
  }

  /** The engine types there are: `DummyEngine` and every provider's name. */
  get types(): string[] {
    return [dummyEngineType, ...new Set([...this.#providers.names, ...this.#known])];
  }

  /** Creates an engine in an active session of the caller; 422 for an unknown engine type. */
  async create(request: EngineCreateRequest, caller: SessionCaller): Promise<WireEngine> {
    if (!this.types.includes(request.engine_type)) {
      throw HttpError.validation(
        [{ path: 'body.engine_type', message: `Expected one of ${this.types.join(', ')}` }],
        `Unknown engine type "${request.engine_type}": the types here are ${this.types.join(', ')}`,
      );
    }
    const session = await this.#sessions.active(request.session_id, caller);
    const engine = await this.#deps.engines.create({
      id: newId('engine', 8),
      session_id: session.id,
      user_id: session.user_id,
      engine_type: request.engine_type,
      model_name: request.model_name ?? null,
      status: 'initialized',
      configuration: request.configuration,
      executions: 0,
      input_tokens: 0,
      output_tokens: 0,
      created_at: this.#deps.clock.now().toISOString(),
      last_used_at: null,
    });
    return toEngine(engine);
  }

  /** The caller's engines, newest first. */
  async list(query: EngineListQuery, caller: SessionCaller): Promise<EngineList> {
    const sessionId = caller.sessionId ?? query.session_id;
    if (
      caller.sessionId !== undefined &&
      query.session_id !== undefined &&
      query.session_id !== caller.sessionId
    ) {
      return { engines: [], total: 0 };
    }
    const engines = await this.#deps.engines.list({
      user_id: caller.userId,
      ...(sessionId === undefined ? {} : { session_id: sessionId }),
      ...(query.status === undefined ? {} : { status: query.status }),
    });
    return { engines: engines.map(toEngine), total: engines.length };
  }

  /** An engine the caller reaches; else 404 `ENGINE_NOT_FOUND`. */
  async get(id: string, caller: SessionCaller): Promise<WireEngine> {
    return toEngine(await this.#find(id, caller));
  }

  /**
   * Runs a prompt: `DummyEngine` answers `Processed: <prompt>` and reports its status as events of
   * its session; a provider engine calls its provider (503 when not configured here, 502 when the
   * provider fails). Usage is added to the engine's.
   */
  async execute(
    id: string,
    caller: SessionCaller,
    request: EngineExecuteRequest,
    signal: AbortSignal,
  ): Promise<EngineExecution> {
    const engine = await this.#find(id, caller);
    await this.#sessions.active(engine.session_id, caller);
    const { telemetry, engines, clock } = this.#deps;
    const started = clock.now().getTime();
    return telemetry.span(
      `engine ${engine.engine_type}`,
      {
        [spanAttributes.kind]: 'engine',
        [spanAttributes.sessionId]: engine.session_id,
        [spanAttributes.engineId]: engine.id,
        [spanAttributes.provider]: engine.engine_type,
      },
      async (span) => {
        await engines.update(id, { status: 'executing' });
        try {
          const reply = await this.#reply(engine, request, signal);
          const usage = { executions: 1, ...reply.usage };
          await engines.update(id, { status: 'active', usage, last_used_at: clock.now().toISOString() });
          span.setAttributes({
            [spanAttributes.status]: 'completed',
            [spanAttributes.inputTokens]: reply.usage.input_tokens,
            [spanAttributes.outputTokens]: reply.usage.output_tokens,
          });
          telemetry.count(metrics.tokensTotal.name, { direction: 'input' }, reply.usage.input_tokens);
          telemetry.count(metrics.tokensTotal.name, { direction: 'output' }, reply.usage.output_tokens);
          telemetry.count(metrics.engineCallsTotal.name, { status: 'completed' });
          return {
            engine_id: id,
            engine_type: engine.engine_type,
            model: reply.model,
            response: reply.response,
            usage: reply.usage,
            duration_ms: clock.now().getTime() - started,
          };
        } catch (error) {
          await engines.update(id, {
            status: 'error',
            usage: { executions: 1, input_tokens: 0, output_tokens: 0 },
            last_used_at: clock.now().toISOString(),
          });
          span.setAttributes({ [spanAttributes.status]: 'failed' });
          telemetry.count(metrics.engineCallsTotal.name, { status: 'failed' });
          throw error;
        }
      },
    );
  }

  /** Deletes an engine; 404 `ENGINE_NOT_FOUND` when the caller reaches none of that id. */
  async delete(id: string, caller: SessionCaller): Promise<EngineDeleted> {
    await this.#find(id, caller);
    await this.#deps.engines.delete(id);
    return { engine_id: id, deleted: true };
  }

  async #reply(
    engine: StoredEngine,
    request: EngineExecuteRequest,
    signal: AbortSignal,
  ): Promise<{ response: string; model: string; usage: { input_tokens: number; output_tokens: number } }> {
    if (engine.engine_type === dummyEngineType) {
      const status = (value: string) =>
        this.#events.emit(
          engine.session_id,
          {
            event_type: dummyStatusEvent,
            data: { status: value, engine_id: engine.id },
            metadata: { source: 'engine' },
          },
          0,
        );
      await status('processing');
      const reply = dummyReply(request.prompt);
      await status('completed');
      return { ...reply, model: engine.model_name ?? dummyEngineType };
    }
    const provider = this.#providers.byName(engine.engine_type);
    const { system_prompt, temperature, max_tokens, top_p } = engine.configuration as {
      system_prompt?: string;
      temperature?: number;
      max_tokens?: number;
      top_p?: number;
    };
    const messages: ChatMessage[] = [
      ...(system_prompt ? [{ role: 'system' as const, content: system_prompt }] : []),
      { role: 'user', content: request.prompt },
    ];
    const parameters = {
      ...(temperature === undefined ? {} : { temperature }),
      ...(max_tokens === undefined ? {} : { max_tokens }),
      ...(top_p === undefined ? {} : { top_p }),
      ...request.parameters,
    };
    const completion = await completeWith(provider, {
      messages,
      ...(engine.model_name ? { model: engine.model_name } : {}),
      parameters,
      signal,
    });
    return {
      response: completion.text,
      model: completion.model,
      usage: {
        input_tokens: completion.usage?.prompt_tokens ?? 0,
        output_tokens: completion.usage?.completion_tokens ?? 0,
      },
    };
  }

  async #find(id: string, caller: SessionCaller): Promise<StoredEngine> {
    const engine = await this.#deps.engines.get(id);
    if (
      !engine ||
      engine.user_id !== caller.userId ||
      (caller.sessionId !== undefined && caller.sessionId !== engine.session_id)
    ) {
      throw HttpError.notFound('engine', id);
    }
    return engine;
  }
}
