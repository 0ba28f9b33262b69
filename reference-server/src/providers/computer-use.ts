/**
 * @module The computer-use model: OpenAI's Responses API with the `computer_use_preview` tool, through
 * the `openai` package. One call is one turn of the loop: the task (or the screen after the last
 * call's actions, as a `computer_call_output`) in, the model's `computer_call`s and words out.
 */
import type { ComputerCall } from '@cartrita/contracts';
import type { ComputerUseModel, ComputerUseTurn, ComputerUseTurnRequest } from '@cartrita/engine';
import OpenAI from 'openai';
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseInputItem,
  ResponseOutputItem,
} from 'openai/resources/responses/responses';
import { Secret } from '../config/secret.js';
import { callProvider, type ProviderCaller } from './call.js';
import { mapOpenAIError } from './openai.js';

/** Options of {@link createComputerUseModel}. */
export interface ComputerUseModelOptions {
  /** OpenAI's key (`OPENAI_API_KEY`). */
  apiKey: string | Secret;
  /** OpenAI's API (`OPENAI_BASE_URL`); default `https://api.openai.com/v1`. */
  baseURL?: string;
  /** The longest wait for one turn, in milliseconds; default 120000 (a run's own deadline also applies). */
  timeoutMs?: number;
  /** Where the call runs through (limits, caching, metrics, tracing); default as it is. */
  call?: ProviderCaller;
}

/** The Responses API request of one turn. */
export const turnParams = (request: ComputerUseTurnRequest): ResponseCreateParamsNonStreaming => {
  const { environment } = request;
  const tool = {
    type: 'computer_use_preview' as const,
    display_width: environment.display_width,
    display_height: environment.display_height,
    environment: environment.type,
  };
  let input: ResponseInputItem[];
  if (request.answer) {
    const { answer } = request;
    input = [
      {
        type: 'computer_call_output',
        call_id: answer.callId,
        output: { type: 'computer_screenshot', image_url: answer.screenshot },
        ...(answer.acknowledged.length > 0 ? { acknowledged_safety_checks: answer.acknowledged } : {}),
      },
    ];
  } else {
    const start = request.start ?? { task: '' };
    input = [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: start.task },
          ...(start.screenshot
            ? [{ type: 'input_image' as const, image_url: start.screenshot, detail: 'auto' as const }]
            : []),
        ],
      },
    ];
  }
  return {
    model: request.model,
    tools: [tool],
    input,
    // The computer-use tool needs truncation on: a long run's screenshots outgrow the context.
    truncation: 'auto',
    ...(request.answer ? { previous_response_id: request.answer.previousResponseId } : {}),
  };
};

/** The calls and words of a response; a call with `actions` (a batch) or one `action` is a list either way. */
export const turnOf = (response: Pick<Response, 'id' | 'output'>): ComputerUseTurn => {
  const calls: ComputerCall[] = [];
  const words: string[] = [];
  for (const item of response.output as ResponseOutputItem[]) {
    if (item.type === 'computer_call') {
      const actions = item.actions ?? (item.action ? [item.action] : []);
      calls.push({
        call_id: item.call_id,
        actions: actions as ComputerCall['actions'],
        pending_safety_checks: (item.pending_safety_checks ?? []).map((check) => ({
          id: check.id,
          code: check.code ?? null,
          message: check.message ?? null,
        })),
      });
    } else if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') words.push(part.text);
    }
  }
  return { responseId: response.id, calls, output: words.join('') };
};

/** Creates the computer-use model over OpenAI's Responses API; failures map as the `openai` provider's do. */
export const createComputerUseModel = (options: ComputerUseModelOptions): ComputerUseModel => {
  const apiKey = options.apiKey instanceof Secret ? options.apiKey.reveal() : options.apiKey;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const call = options.call ?? callProvider;
  const client = new OpenAI({
    apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
    timeout: timeoutMs,
  });
  const turn = async (request: ComputerUseTurnRequest): Promise<ComputerUseTurn> => {
    try {
      const response = await client.responses.create(turnParams(request), { signal: request.signal });
      if (!Array.isArray(response.output) || typeof response.id !== 'string')
        throw new SyntaxError('no output');
      return turnOf(response);
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw mapOpenAIError(error, { secrets: [apiKey], timeoutMs });
    }
  };
  return {
    turn: (request) =>
      call(
        { provider: 'openai', operation: 'computer_use', model: request.model, signal: request.signal },
        () => turn(request),
      ),
  };
};
