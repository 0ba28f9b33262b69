import { describe, expect, it } from 'vitest';
import { Chat } from '../resources/chat.js';
import { Health } from '../resources/health.js';
import { createClient } from './create-client.js';

/** A fetch that records the URL and Authorization of each request and answers `body`. */
const recording = (body: unknown) => {
  const seen: { url: string; authorization: string | null }[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({ url: request.url, authorization: request.headers.get('authorization') });
    return Response.json(body);
  };
  return { seen, fetch };
};

const health = { status: 'ok', timestamp: '2026-01-01T00:00:00.000Z', version: '0.1.0' };

describe('createClient', () => {
  it('puts each resource it is given under its name, over one transport', () => {
    const client = createClient({ resources: { chat: Chat, health: Health } });
    expect(Object.keys(client).sort()).toEqual(['chat', 'health', 'transport']);
    expect(client.chat).toBeInstanceOf(Chat);
    expect(client.health).toBeInstanceOf(Health);
    expect(client.transport.baseURL).toBe('http://127.0.0.1:8000');
  });

  it('sends with the options a CartritaClient takes', async () => {
    const { seen, fetch } = recording(health);
    const client = createClient({
      baseURL: 'http://cartrita.test/prefix',
      clientSecret: 'cks_fixed',
      fetch,
      resources: { health: Health },
    });
    await expect(client.health.check()).resolves.toEqual(health);
    expect(seen).toEqual([{ url: 'http://cartrita.test/prefix/health', authorization: 'Bearer cks_fixed' }]);
  });

  it('asks getClientSecret before each request', async () => {
    const { seen, fetch } = recording(health);
    let minted = 0;
    const client = createClient({
      baseURL: 'http://cartrita.test',
      getClientSecret: () => `cks_${++minted}`,
      fetch,
      resources: { health: Health },
    });
    await client.health.check();
    await client.health.check();
    expect(seen.map((request) => request.authorization)).toEqual(['Bearer cks_1', 'Bearer cks_2']);
  });

  it('refuses a resource named transport, which would hide the transport', () => {
    expect(() => createClient({ resources: { transport: Health } })).toThrow(
      new TypeError('A resource may not be called "transport"'),
    );
  });
});
