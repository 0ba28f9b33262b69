/**
 * @module MSW handlers of Tavily's search API (`POST https://api.tavily.com/search`), from its
 * documented wire format: Bearer auth, a JSON body with `query` and optional `max_results` (0 to 20),
 * `search_depth`, `include_*`; the answer `{query, answer, images, results: [{title, url, content,
 * score, raw_content, favicon}], response_time, request_id}`; errors `{detail: {error}}` with 400,
 * 401, 429, 432, 433 and 500.
 *
 * @example
 * const server = setupServer(...tavilyHandlers({ apiKey: 'tvly-test-key', results: [...] }));
 * server.use(tavilyError(429, { retryAfter: 7 }));
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import { UpstreamRecorder, untilAborted } from './upstream-recorder.js';

/** Tavily's API. */
export const tavilyBaseUrl = 'https://api.tavily.com';
const endpoint = `${tavilyBaseUrl}/search`;

/** The recorder used by every handler that is not given one. Clear it between tests. */
export const tavilyRecorder = new UpstreamRecorder();

/** One result as Tavily answers it. */
export interface TavilyWireResult {
  title: string;
  url: string;
  content: string;
  score: number;
  raw_content: string | null;
  favicon?: string;
}

/** The default results: three, not in score order, to show the provider sorts them. */
export const defaultTavilyResults: TavilyWireResult[] = [
  {
    title: 'Harbour tides today',
    url: 'https://example.org/tides',
    content: 'High tide at the harbour is at 14:05.',
    score: 0.81,
    raw_content: null,
  },
  {
    title: 'Harbour opening hours',
    url: 'https://example.org/harbour',
    content: 'The harbour office opens at 8 and closes at 18.',
    score: 0.93,
    raw_content: null,
  },
  {
    title: 'Lighthouse history',
    url: 'https://example.org/lighthouse',
    content: 'The lighthouse was built in 1871.',
    score: 0.42,
    raw_content: null,
  },
];

/** Options of {@link tavilyHandlers}. */
export interface TavilyHandlersOptions {
  /** The key the mock accepts; any other is a 401. */
  apiKey: string;
  /** The results before `max_results` cuts them; default {@link defaultTavilyResults}. */
  results?: TavilyWireResult[];
  recorder?: UpstreamRecorder;
}

const errorBody = (message: string) => ({ detail: { error: message } });

/** Tavily's messages for its documented statuses. */
const errorMessages: Readonly<Record<number, string>> = {
  400: 'Invalid request parameters.',
  401: 'Unauthorized: missing or invalid API key.',
  429: 'Your request has been blocked due to excessive requests. Please reduce rate of requests.',
  432: "This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com",
  433: 'This request exceeds the pay-as-you-go limit. You can increase your limit on the Tavily dashboard.',
  500: 'Internal Server Error',
};

/**
 * Tavily's search: checks the key and the body as Tavily does (401, 400), and answers the results,
 * at most `max_results` (default 5), as given.
 */
export const tavilyHandlers = (options: TavilyHandlersOptions): HttpHandler[] => [
  http.post(endpoint, async ({ request }) => {
    await (options.recorder ?? tavilyRecorder).record(request);
    if (request.headers.get('authorization') !== `Bearer ${options.apiKey}`) {
      return HttpResponse.json(errorBody(errorMessages[401] as string), { status: 401 });
    }
    const body = (await request.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    const maxResults = body?.max_results ?? 5;
    if (
      typeof body?.query !== 'string' ||
      typeof maxResults !== 'number' ||
      maxResults < 0 ||
      maxResults > 20 ||
      (body.search_depth !== undefined &&
        !['basic', 'advanced', 'fast', 'ultra-fast'].includes(String(body.search_depth)))
    ) {
      return HttpResponse.json(errorBody(errorMessages[400] as string), { status: 400 });
    }
    return HttpResponse.json({
      query: body.query,
      follow_up_questions: null,
      answer: null,
      images: [],
      results: (options.results ?? defaultTavilyResults).slice(0, maxResults),
      response_time: 0.87,
      request_id: '123e4567-e89b-12d3-a456-426614174111',
    });
  }),
];

/** Options of {@link tavilyError}. */
export interface TavilyErrorOptions {
  /** The `retry-after` header, in seconds. */
  retryAfter?: number;
  recorder?: UpstreamRecorder;
}

/** Answers every search with an HTTP error and Tavily's error body. */
export const tavilyError = (status: number, options: TavilyErrorOptions = {}): HttpHandler =>
  http.post(endpoint, async ({ request }) => {
    await (options.recorder ?? tavilyRecorder).record(request);
    const headers: Record<string, string> = {};
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    return HttpResponse.json(errorBody(errorMessages[status] ?? 'Error'), { status, headers });
  });

/** Answers every search with `body` as it is: a broken or misshapen answer. */
export const tavilyMalformed = (body: string, recorder: UpstreamRecorder = tavilyRecorder): HttpHandler =>
  http.post(endpoint, async ({ request }) => {
    await recorder.record(request);
    return new HttpResponse(body, { status: 200, headers: { 'content-type': 'application/json' } });
  });

/** Never answers a search; the client's deadline or cancellation ends it. */
export const tavilyStall = (recorder: UpstreamRecorder = tavilyRecorder): HttpHandler =>
  http.post(endpoint, async ({ request }) => {
    await recorder.record(request);
    await untilAborted(request);
    return HttpResponse.error();
  });
