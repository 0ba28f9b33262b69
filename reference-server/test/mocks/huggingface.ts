/**
 * @module MSW handlers of Hugging Face's Inference API (`POST <base>/models/{model}` and
 * `/models/{model}/pipeline/{task}`), answering each task's documented output for a few Hub models,
 * with Hugging Face's error bodies (`{error}`; `{error, estimated_time}` for a cold model) and fault
 * scenarios.
 *
 * @example
 * const server = setupServer(...huggingfaceHandlers());
 * expect(huggingfaceRecorder.last?.body).toEqual({ inputs: 'Hello', parameters: { max_new_tokens: 5 } });
 */
import { type HttpHandler, HttpResponse, http, type JsonBodyType } from 'msw';

/** Hugging Face's Inference API on its router, where the handlers answer by default. */
export const huggingfaceInference = 'https://router.huggingface.co/hf-inference';

/** One request the mock received. */
export interface RecordedHuggingFaceRequest {
  url: URL;
  headers: Headers;
  body: { inputs?: unknown; parameters?: Record<string, unknown> };
}

/** The requests the handlers received, newest last. */
export const huggingfaceRecorder = {
  requests: [] as RecordedHuggingFaceRequest[],
  get last(): RecordedHuggingFaceRequest | undefined {
    return this.requests.at(-1);
  },
  clear(): void {
    this.requests.length = 0;
  },
};

type Body = RecordedHuggingFaceRequest['body'];
const textOf = (inputs: unknown) => (Array.isArray(inputs) ? String(inputs[0]) : String(inputs));

/** What each known model answers, by the output its task documents. */
const models: Record<string, (body: Body) => JsonBodyType> = {
  'openai-community/gpt2': ({ inputs }) => [{ generated_text: `${textOf(inputs)} and then some` }],
  'facebook/bart-large-cnn': ({ inputs }) => [{ summary_text: textOf(inputs).split('.')[0] ?? '' }],
  'Helsinki-NLP/opus-mt-en-fr': () => [{ translation_text: 'Bonjour le monde' }],
  'distilbert/distilbert-base-uncased-finetuned-sst-2-english': () => [
    [
      { label: 'POSITIVE', score: 0.9998 },
      { label: 'NEGATIVE', score: 0.0002 },
    ],
  ],
  'dslim/bert-base-NER': () => [{ entity_group: 'PER', score: 0.998, word: 'Ada', start: 0, end: 3 }],
  'facebook/bart-large-mnli': ({ parameters }) => {
    const labels = (parameters?.candidate_labels as string[] | undefined) ?? [];
    return labels.map((label, index) => ({
      label,
      score: index === 0 ? 0.9 : 0.1 / Math.max(1, labels.length - 1),
    }));
  },
  'deepset/roberta-base-squad2': () => ({ answer: 'Paris', score: 0.97, start: 26, end: 31 }),
  'google-bert/bert-base-uncased': () => [
    { sequence: 'paris is the capital of france.', score: 0.4, token: 3000, token_str: 'paris' },
  ],
};

/** What the sentence-transformers model answers on its two pipelines. */
const pipelines: Record<string, (body: Body) => JsonBodyType> = {
  'feature-extraction': () => [0.1, -0.2, 0.3],
  'sentence-similarity': ({ inputs }) =>
    ((inputs as { sentences?: string[] }).sentences ?? []).map((_, index) => (index === 0 ? 0.87 : 0.12)),
};

const hfError = (status: number, error: string, extra: Record<string, JsonBodyType> = {}) =>
  HttpResponse.json({ error, ...extra }, { status });

const record = async (request: Request): Promise<{ body: Body; refused?: Response }> => {
  const text = await request.text();
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    return { body: {}, refused: hfError(400, 'Invalid JSON') };
  }
  huggingfaceRecorder.requests.push({ url: new URL(request.url), headers: request.headers, body });
  if (!/^Bearer \S+$/.test(request.headers.get('authorization') ?? '')) {
    return { body, refused: hfError(401, 'Invalid credentials in Authorization header') };
  }
  if (!request.headers.get('content-type')?.startsWith('application/json')) {
    return { body, refused: hfError(400, 'Content-Type must be application/json') };
  }
  if (body.inputs === undefined) return { body, refused: hfError(400, 'Missing inputs') };
  return { body };
};

/** The Inference API for the models above, at `baseURL` (default Hugging Face's router). */
export const huggingfaceHandlers = (baseURL = huggingfaceInference): HttpHandler[] => [
  http.post(`${baseURL}/models/:org/:name/pipeline/:task`, async ({ request, params }) => {
    const { body, refused } = await record(request);
    if (refused) return refused;
    const answer = pipelines[String(params.task)];
    if (`${params.org}/${params.name}` !== 'sentence-transformers/all-MiniLM-L6-v2' || !answer) {
      return hfError(404, `Model ${params.org}/${params.name} does not exist`);
    }
    return HttpResponse.json(answer(body));
  }),
  http.post(`${baseURL}/models/:org/:name`, async ({ request, params }) => {
    const { body, refused } = await record(request);
    if (refused) return refused;
    const model = `${params.org}/${params.name}`;
    if (model === 'cold/model' && request.headers.get('x-wait-for-model') !== 'true') {
      return hfError(503, `Model ${model} is currently loading`, { estimated_time: 20.5 });
    }
    if (model === 'cold/model') return HttpResponse.json([{ generated_text: 'warmed up' }]);
    const answer = models[model];
    return answer ? HttpResponse.json(answer(body)) : hfError(404, `Model ${model} does not exist`);
  }),
];

/** Every call answers `status` with Hugging Face's `{error}` body and the given headers. */
export const huggingfaceFailure = (
  status: number,
  error: string,
  headers: Record<string, string> = {},
  baseURL = huggingfaceInference,
): HttpHandler =>
  http.post(`${baseURL}/models/*`, async ({ request }) => {
    await record(request);
    return HttpResponse.json({ error }, { status, headers });
  });

/** Every call answers 200 with `body`, whatever the task documents. */
export const huggingfaceAnswer = (body: JsonBodyType, baseURL = huggingfaceInference): HttpHandler =>
  http.post(`${baseURL}/models/*`, async ({ request }) => {
    await record(request);
    return HttpResponse.json(body);
  });

/** Every call gets no answer until the client gives up. */
export const huggingfaceStall = (baseURL = huggingfaceInference): HttpHandler =>
  http.post(`${baseURL}/models/*`, async ({ request }) => {
    await record(request);
    await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
    return HttpResponse.error();
  });
