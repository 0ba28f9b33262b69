/**
 * @module MSW handlers of OpenAI's Responses API (`POST <baseURL>/responses`) for the computer-use tool,
 * as OpenAI documents it: a scripted list of turns, each answered with a `response` object whose
 * `output` holds `reasoning`, `computer_call` (with `action` and `pending_safety_checks`) or `message`
 * items; plus OpenAI's error body and a stall.
 *
 * @example
 * const server = setupServer(responsesHandler([[click(10, 20)], [done('All set')]]));
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import type {
  Response as OpenAIResponse,
  ResponseComputerToolCall,
  ResponseCreateParams,
  ResponseOutputItem,
} from 'openai/resources/responses/responses';

/** OpenAI's API, where the handler answers by default. */
export const openaiApi = 'https://api.openai.com/v1';

/** One request the mock received. */
export interface RecordedResponsesRequest {
  headers: Headers;
  body: ResponseCreateParams;
}

/** The requests the handlers received, newest last. */
export const responsesRecorder = {
  requests: [] as RecordedResponsesRequest[],
  get last(): RecordedResponsesRequest | undefined {
    return this.requests.at(-1);
  },
  clear(): void {
    this.requests.length = 0;
  },
};

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${(++counter).toString(16).padStart(8, '0')}`;

/** A `computer_call` item with one action and, optionally, safety checks to acknowledge. */
export const computerCall = (
  action: ResponseComputerToolCall['action'],
  checks: ResponseComputerToolCall.PendingSafetyCheck[] = [],
): ResponseOutputItem => ({
  type: 'computer_call',
  id: nextId('cu'),
  call_id: nextId('call'),
  action,
  pending_safety_checks: checks,
  status: 'completed',
});

/** A click at `x`, `y`. */
export const click = (x: number, y: number): ResponseOutputItem =>
  computerCall({ type: 'click', button: 'left', x, y });

/** The assistant's words, ending the loop. */
export const done = (text: string): ResponseOutputItem => ({
  type: 'message',
  id: nextId('msg'),
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text, annotations: [] }],
});

const reasoning = (): ResponseOutputItem => ({ type: 'reasoning', id: nextId('rs'), summary: [] });

/** A `response` object as the Responses API answers it. */
const responseOf = (body: ResponseCreateParams, output: ResponseOutputItem[]): OpenAIResponse =>
  ({
    id: nextId('resp'),
    object: 'response',
    created_at: 1_700_000_000,
    status: 'completed',
    model: body.model ?? 'computer-use-preview',
    output: [reasoning(), ...output],
    output_text: '',
    error: null,
    incomplete_details: null,
    instructions: null,
    metadata: {},
    parallel_tool_calls: true,
    temperature: 1,
    tool_choice: 'auto',
    tools: body.tools ?? [],
    top_p: 1,
    truncation: body.truncation ?? 'disabled',
    usage: {
      input_tokens: 100,
      output_tokens: 20,
      total_tokens: 120,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 10 },
    },
  }) as OpenAIResponse;

const record = async (request: Request): Promise<{ body: ResponseCreateParams; refused?: Response }> => {
  const body = (await request.json()) as ResponseCreateParams;
  responsesRecorder.requests.push({ headers: request.headers, body });
  if (!/^Bearer \S+$/.test(request.headers.get('authorization') ?? '')) {
    return { body, refused: openaiErrorBody(401, 'invalid_api_key', 'Incorrect API key provided.') };
  }
  return { body };
};

const openaiErrorBody = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) =>
  HttpResponse.json(
    { error: { message, type: 'invalid_request_error', param: null, code } },
    { status, headers },
  );

/**
 * Answers the turns of `script` in order, one per request (the last one again once they run out); a
 * request without `previous_response_id` after the first, or without `truncation: "auto"`, is refused as
 * OpenAI refuses it.
 */
export const responsesHandler = (script: ResponseOutputItem[][], baseURL = openaiApi): HttpHandler => {
  let turn = 0;
  return http.post(`${baseURL}/responses`, async ({ request }) => {
    const { body, refused } = await record(request);
    if (refused) return refused;
    if (body.truncation !== 'auto') {
      return openaiErrorBody(400, 'invalid_value', 'truncation must be "auto" for the computer use tool.');
    }
    const output = script[Math.min(turn, script.length - 1)] ?? [];
    turn += 1;
    return HttpResponse.json(responseOf(body, output));
  });
};

/** Every request answers `status` with OpenAI's error body. */
export const responsesError = (
  status: number,
  headers: Record<string, string> = {},
  baseURL = openaiApi,
): HttpHandler =>
  http.post(`${baseURL}/responses`, async ({ request }) => {
    await record(request);
    return openaiErrorBody(
      status,
      status === 429 ? 'rate_limit_exceeded' : 'server_error',
      'Upstream failure.',
      headers,
    );
  });

/** Every request answers 200 with a body that is not a response object. */
export const responsesMalformed = (baseURL = openaiApi): HttpHandler =>
  http.post(`${baseURL}/responses`, async ({ request }) => {
    await record(request);
    return HttpResponse.json({ unexpected: true });
  });

/** Every request gets no answer until the client gives up; `started` resolves when one arrives. */
export const responsesStall = (baseURL = openaiApi) => {
  let arrived: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const handler = http.post(`${baseURL}/responses`, async ({ request }) => {
    await record(request);
    arrived();
    await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
    return HttpResponse.error();
  });
  return { handler, started };
};
