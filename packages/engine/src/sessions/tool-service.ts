/** @module Tools: JavaScript a session registers and calls with arguments checked by JSON Schema. */
import type {
  Tool,
  ToolDeleted,
  ToolExecuteRequest,
  ToolExecution,
  ToolList,
  ToolRegisterRequest,
} from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { metrics, spanAttributes } from '../telemetry.js';
import type { SessionCaller } from './access.js';
import type { SessionAreaDeps } from './deps.js';
import type { StoredTool } from './repositories.js';
import type { SessionService } from './session-service.js';
import { checkArguments, checkToolSchema } from './tool-schema.js';
import { sandboxTime, type UserCode } from './user-code.js';

const toTool = ({ name, description, parameters, created_at }: StoredTool): Tool => ({
  name,
  description,
  parameters,
  created_at,
});

/** Tools of seed 001. */
export class ToolService {
  readonly #deps: SessionAreaDeps;
  readonly #sessions: SessionService;
  readonly #code: () => UserCode;

  constructor(deps: SessionAreaDeps, sessions: SessionService, code: () => UserCode) {
    this.#deps = deps;
    this.#sessions = sessions;
    this.#code = code;
  }

  /** Registers a tool: its schema and code are checked first (422); a taken name is 409. */
  async register(sessionId: string, caller: SessionCaller, request: ToolRegisterRequest): Promise<Tool> {
    await this.#sessions.active(sessionId, caller);
    checkToolSchema(request.parameters);
    await this.#code().check(request.function_code, 'function_code');
    const tool: StoredTool = {
      session_id: sessionId,
      name: request.name,
      description: request.description,
      parameters: request.parameters,
      function_code: request.function_code,
      created_at: this.#deps.clock.now().toISOString(),
    };
    if (!(await this.#deps.repositories.tools.create(tool))) {
      throw HttpError.conflict(
        `Session ${sessionId} has a tool named "${request.name}" already; unregister it first`,
        { tool_name: request.name },
      );
    }
    return toTool(tool);
  }

  /** A session's tools, by name. */
  async list(sessionId: string, caller: SessionCaller): Promise<ToolList> {
    await this.#sessions.find(sessionId, caller);
    const tools = await this.#deps.repositories.tools.list(sessionId);
    return { tools: tools.map(toTool), total: tools.length };
  }

  /**
   * Calls a tool with checked arguments. The code's own failures (it threw, ran out of time or
   * memory) answer with `error` rather than an HTTP error: the call was made.
   */
  async execute(
    sessionId: string,
    caller: SessionCaller,
    name: string,
    request: ToolExecuteRequest,
  ): Promise<ToolExecution> {
    await this.#sessions.active(sessionId, caller);
    const tool = await this.#find(sessionId, name);
    checkArguments(name, tool.parameters, request.arguments);
    const { telemetry } = this.#deps;
    return telemetry.span(
      `tool ${name}`,
      {
        [spanAttributes.kind]: 'tool',
        [spanAttributes.sessionId]: sessionId,
        [spanAttributes.toolName]: name,
      },
      async (span) => {
        const result = await this.#code().run({
          code: tool.function_code,
          input: request.arguments,
          sessionId,
          depth: 0,
        });
        const status = result.ok ? 'completed' : 'failed';
        span.setAttributes({ ...sandboxTime(result), [spanAttributes.status]: status });
        if (!result.ok) span.fail(new Error(result.error.message));
        telemetry.count(metrics.toolCallsTotal.name, { status });
        return {
          tool_name: name,
          result: result.ok ? (result.value ?? null) : null,
          error: result.ok ? null : { kind: result.error.kind, message: result.error.message },
          duration_ms: result.durationMs,
        };
      },
    );
  }

  /** Unregisters a tool; 404 `TOOL_NOT_FOUND` when there is none of that name. */
  async delete(sessionId: string, caller: SessionCaller, name: string): Promise<ToolDeleted> {
    await this.#sessions.find(sessionId, caller);
    if (!(await this.#deps.repositories.tools.delete(sessionId, name)))
      throw HttpError.notFound('tool', name);
    return { tool_name: name, deleted: true };
  }

  async #find(sessionId: string, name: string): Promise<StoredTool> {
    const tool = await this.#deps.repositories.tools.get(sessionId, name);
    if (!tool) throw HttpError.notFound('tool', name);
    return tool;
  }
}
