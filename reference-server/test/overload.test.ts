import { describe, expect, it } from 'vitest';
import { chatkit, createSecret, useServer } from './helpers.js';

const stream = (url: string, secret: string, message: string, signal?: AbortSignal) =>
  fetch(`${url}/api/chat/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ message }),
    ...(signal ? { signal } : {}),
  });

/** Reads a stream until its first frame, so the reply is known to be running. */
const firstFrame = async (res: Response) => {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  return { text: new TextDecoder().decode(value), reader };
};

const createThread = (message: string) => ({
  type: 'threads.create',
  params: {
    input: { content: [{ type: 'input_text', text: message }], attachments: [], inference_options: {} },
  },
});

describe('load shedding', () => {
  it('refuses a reply past the per-user limit with 503 and Retry-After, on every door, until one ends', async () => {
    const { url } = await useServer({
      env: { DEMO_PACE_MS: '20', MAX_CONCURRENT_REPLIES_PER_USER: '2', MAX_CONCURRENT_REPLIES: '0' },
    });
    const secret = await createSecret(url);
    const other = await createSecret(url);
    const cut = new AbortController();
    const first = await firstFrame(await stream(url, secret, '/long', cut.signal));
    expect(first.text).toContain('"type":"start"');
    const second = await stream(url, secret, '/long');
    expect(second.status).toBe(200);
    const { reader } = await firstFrame(second);

    const refused = await stream(url, secret, 'one too many');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({
      error: { code: 'SERVICE_UNAVAILABLE', details: { limit: 'user' } },
    });
    const viaChatKit = await chatkit(url, secret, createThread('one too many'));
    expect(viaChatKit.status).toBe(503);
    expect(viaChatKit.headers.get('retry-after')).toBe('1');
    // Another user is not held up by this one.
    const theirs = await stream(url, other, 'mine');
    expect(theirs.status).toBe(200);
    expect(await theirs.text()).toContain('"type":"done"');

    // Cancelling one reply frees its slot.
    const responseId = /"response_id":"(resp_[0-9a-f]+)"/.exec(first.text)?.[1];
    const cancel = await fetch(`${url}/api/chat/responses/${responseId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(cancel.status).toBe(200);
    cut.abort();
    let again: Response | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      again = await stream(url, secret, 'now there is room');
      if (again.status !== 503) break;
      await again.text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(again?.status).toBe(200);
    expect(await again?.text()).toContain('"type":"done"');
    await reader.cancel();
  });

  it('refuses a reply past the process limit, whoever asks', async () => {
    const { url } = await useServer({
      env: { DEMO_PACE_MS: '20', MAX_CONCURRENT_REPLIES_PER_USER: '0', MAX_CONCURRENT_REPLIES: '1' },
    });
    const running = await firstFrame(await stream(url, await createSecret(url), '/long'));
    const refused = await stream(url, await createSecret(url), 'hello');
    expect(refused.status).toBe(503);
    expect((await refused.json()).error.details).toEqual({ limit: 'process' });
    await running.reader.cancel();
  });
});
