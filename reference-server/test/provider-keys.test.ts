import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing.js';
import { openaiRecorder, useOpenAIMocks } from './mocks/openai.js';

const OPENAI = 'https://api.openai.com/v1';

useOpenAIMocks({ baseURL: OPENAI, tokens: ['Hello', '.'] });

const keys = {
  chat: 'key-chat-0123456789abcdef',
  openai: 'key-openai-0123456789abcdef',
  hf: 'key-hf-0123456789abcdef',
  search: 'key-search-0123456789abcdef',
};

const server = async (env: Record<string, string>): Promise<TestServer> => {
  const started = await startTestServer({
    env: {
      API_KEYS: [
        `any-provider:chat:${keys.chat}`,
        `only-openai:chat+openai:${keys.openai}`,
        `only-hf:chat+huggingface:${keys.hf}`,
        `only-search:search:${keys.search}`,
      ].join(','),
      ...env,
    },
  });
  onTestFinished(() => started.close());
  return started;
};

const chat = async (target: TestServer, key: string, body: Record<string, unknown>) => {
  const response = await fetch(`${target.url}/api/chat`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Hi', ...body }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error: { code: string; message: string } },
  };
};

describe('provider keys and scopes', () => {
  it('answers 503 PROVIDER_NOT_CONFIGURED for a provider without its key, calling nothing', async () => {
    const target = await server({});
    const answer = await chat(target, keys.chat, { provider: 'openai' });
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('PROVIDER_NOT_CONFIGURED');
    expect(openaiRecorder.requests.length).toBe(0);
  });

  it('lets a key scoped to one provider use that provider (and demo) and answers 403 on the others', async () => {
    const target = await server({ OPENAI_API_KEY: 'sk-test-0123456789abcdef' });
    expect((await chat(target, keys.openai, { provider: 'openai' })).status).toBe(200);
    expect((await chat(target, keys.openai, { provider: 'demo' })).status).toBe(200);
    const refused = await chat(target, keys.hf, { provider: 'openai' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This API key is scoped to other providers than "openai".',
    });
    expect((await chat(target, keys.hf, { agent: 'openai/gpt-4o-mini' })).status).toBe(403);
    // A key with no provider scope may use every configured provider.
    expect((await chat(target, keys.chat, { provider: 'openai' })).status).toBe(200);
    expect(openaiRecorder.requests.length).toBe(2);
  });

  it('answers 403 on /chatkit when the model asked for is another provider than the key’s', async () => {
    const target = await server({ OPENAI_API_KEY: 'sk-test-0123456789abcdef' });
    const start = (key: string) =>
      fetch(`${target.url}/chatkit`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'threads.create',
          params: {
            input: {
              content: [{ type: 'input_text', text: 'Hi' }],
              attachments: [],
              inference_options: { model: 'openai/gpt-4o-mini' },
            },
          },
        }),
      });
    const refused = await start(keys.hf);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const allowed = await start(keys.openai);
    expect(allowed.status).toBe(200);
    await allowed.text();
    expect(openaiRecorder.requests.length).toBe(1);
    // `openai/gpt-4o-mini` is the agent of GET /api/agents: OpenAI is asked for the model alone.
    expect(openaiRecorder.requests[0]?.body.model).toBe('gpt-4o-mini');
  });

  it('answers 403 to a key scoped to another provider endpoint', async () => {
    const target = await server({});
    expect((await chat(target, keys.search, { provider: 'demo' })).status).toBe(403);
  });

  it('lists a configured provider as an available agent', async () => {
    const target = await server({ OPENAI_API_KEY: 'sk-test-0123456789abcdef', OPENAI_MODEL: 'gpt-4.1-nano' });
    const response = await fetch(`${target.url}/api/agents`, { headers: { 'x-api-key': keys.chat } });
    const { agents } = (await response.json()) as { agents: { id: string; status: string }[] };
    expect(agents.map((agent) => [agent.id, agent.status])).toEqual([
      ['demo/demo-1', 'available'],
      ['openai/gpt-4.1-nano', 'available'],
    ]);
  });
});
