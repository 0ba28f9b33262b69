import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { chatkit, createSecret, useServer } from './helpers.js';

describe('HTTP behaviour of the reference server', () => {
  it('answers malformed JSON with 400 in the envelope', async () => {
    const { url } = await useServer();
    const res = await fetch(`${url}/chatkit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await createSecret(url)}` },
      body: '{"type": "threads.list",',
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('answers a schema-invalid body with 422 naming the field', async () => {
    const { url } = await useServer();
    const res = await chatkit(url, await createSecret(url), {
      type: 'threads.create',
      params: { input: { content: [{ type: 'input_text', text: 'hi' }], inference_options: {} } },
    });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details.fields).toContainEqual({
      path: 'body.params.input.attachments',
      message: expect.any(String),
    });
  });

  it('answers a missing or forged secret with 401', async () => {
    const { url } = await useServer();
    const missing = await fetch(`${url}/chatkit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'threads.list', params: {} }),
    });
    expect(missing.status).toBe(401);
    const forged = await chatkit(url, 'cks_eyJzIjoieCJ9.AAAA', { type: 'threads.list', params: {} });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('UNAUTHORIZED');
  });

  it('lets an API key act for a named user', async () => {
    const { url, apiKey } = await useServer();
    const session = await fetch(`${url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ user: 'alice' }),
    });
    expect(session.status).toBe(200);
    const { user_id, client_secret, expires_at } = await session.json();
    expect(user_id).toBe('usr_alice');
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
    const list = await chatkit(url, client_secret, { type: 'threads.list', params: {} });
    expect(await list.json()).toEqual({ data: [], has_more: false });
  });

  it('refuses to let an anonymous caller name the user', async () => {
    const { url } = await useServer();
    const res = await fetch(`${url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice' }),
    });
    expect(res.status).toBe(403);
  });

  it('replays a JSON answer for a repeated Idempotency-Key and refuses the key on another body', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const send = (name: string) =>
      chatkit(
        url,
        secret,
        { type: 'attachments.create', params: { name, size: 1, mime_type: 'text/plain' } },
        {
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${secret}`,
            'idempotency-key': 'k-1',
          },
        },
      );
    const first = await send('a.txt');
    const second = await send('a.txt');
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await second.json()).id).toBe((await first.json()).id);
    const other = await send('b.txt');
    expect(other.status).toBe(422);
  });

  it('rate limits per IP with 429 and Retry-After', async () => {
    const { url } = await useServer({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
    const statuses: number[] = [];
    const responses: Response[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/api/chatkit/session`, { method: 'POST' });
      statuses.push(res.status);
      responses.push(res);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const limited = responses[2]!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
  });

  it('answers a CORS preflight from an allowed origin and not from others', async () => {
    const { url } = await useServer({ env: { CORS_ORIGINS: 'https://shop.example' } });
    const allowed = await fetch(`${url}/chatkit`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization, chatkit-frame-instance-id',
      },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'chatkit-frame-instance-id',
    );
    const denied = await fetch(`${url}/chatkit`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown path with a 404 envelope and never a stack trace', async () => {
    const { url } = await useServer();
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('NOT_FOUND');
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('serves a valid OpenAPI 3.1 document and the interactive docs', async () => {
    const { url } = await useServer();
    const doc = await (await fetch(`${url}/openapi.json`)).json();
    const result = await new Validator().validate(doc);
    expect(result.valid).toBe(true);
    expect(doc.servers).toEqual([{ url }]);
    const docs = await fetch(`${url}/docs`);
    expect(await docs.text()).toContain('/docs/assets/swagger-ui-bundle.js');
    expect((await fetch(`${url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('reports health on both health routes', async () => {
    const { url } = await useServer();
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({
      status: 'ok',
      version: expect.any(String),
    });
    expect(await (await fetch(`${url}/api/health`)).json()).toMatchObject({
      status: 'healthy',
      uptime: expect.any(Number),
    });
  });
});
