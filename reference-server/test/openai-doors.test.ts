import { describe, expect, it } from 'vitest';
import { createSecret, useServer } from './helpers.js';
import { openaiCutAfter, openaiError, openaiRecorder, useOpenAIMocks } from './mocks/openai.js';

const OPENAI = 'https://api.openai.com/v1';

const mocks = useOpenAIMocks({ baseURL: OPENAI, tokens: ['Hello', ' from', ' the', ' model', '.'] });

const env = {
  CHAT_PROVIDER: 'openai',
  OPENAI_API_KEY: 'sk-test-0123456789abcdef',
  OPENAI_MODEL: 'gpt-4o-mini',
};

const post = (url: string, path: string, secret: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
  });

describe('the doors with the openai provider', () => {
  it('answers /api/chat with the model, its text and the token usage', async () => {
    const { url } = await useServer({ env });
    const res = await post(url, '/api/chat', await createSecret(url), {
      message: 'Hi',
      parameters: { temperature: 0.2 },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      response: 'Hello from the model.',
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(body.usage.total_tokens).toBeGreaterThan(0);
    expect(openaiRecorder.last?.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2 });
  });

  it('passes an upstream rate limit on as 429 with Retry-After', async () => {
    const { url } = await useServer({ env });
    mocks.use(openaiError(429, { retryAfter: 7 }));
    const res = await post(url, '/api/chat', await createSecret(url), { message: 'Hi' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await res.json()).error.code).toBe('RATE_LIMITED');
  });

  it('maps an upstream failure to PROVIDER_ERROR with its status', async () => {
    const { url } = await useServer({ env });
    mocks.use(openaiError(500));
    const res = await post(url, '/api/chat', await createSecret(url), { message: 'Hi' });
    expect(res.status).toBe(502);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: 'PROVIDER_ERROR', details: { upstream_status: 500 } });
  });

  it('ends a ChatKit stream cut upstream with an error event and keeps the text so far', async () => {
    const { url } = await useServer({ env });
    mocks.use(openaiCutAfter(2, { tokens: ['One', ' two', ' three'] }));
    const secret = await createSecret(url);
    const res = await post(url, '/chatkit', secret, {
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: 'Count' }], attachments: [], inference_options: {} },
      },
    });
    const text = await res.text();
    expect(text).toContain('"type":"error"');
    const threadId = /"thread":\{"id":"(thr_\w+)"/.exec(text)![1];
    const items = await (
      await post(url, '/chatkit', secret, {
        type: 'items.list',
        params: { thread_id: threadId, order: 'asc' },
      })
    ).json();
    expect(items.data[1].content[0].text).toBe('One two');
  });
});
