import { ChatKitSession } from '@cartrita/contracts';
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupCartritaServer } from './node.js';
import { status } from './scenarios.js';

const server = setupCartritaServer({ baseURL: 'http://node.test' });
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

it('serves the mocks and exposes the store and the fault switches', async () => {
  const session = ChatKitSession.parse(
    await (await fetch('http://node.test/api/chatkit/session', { method: 'POST' })).json(),
  );
  expect(await server.store.engine.chatkitSessions.verify(session.client_secret)).toMatchObject({
    ok: true,
    payload: { sessionId: session.session_id },
  });
  server.scenarios.use(status(500), { route: 'health.get', once: true });
  expect((await fetch('http://node.test/health')).status).toBe(500);
});

it('resets the state, the faults and the handlers added at runtime', async () => {
  const { session_id } = await server.store.engine.chatkitSessions.create(
    {},
    { auth: { kind: 'anonymous' } },
  );
  server.scenarios.use(status(500));
  server.use(http.get('http://node.test/health', () => HttpResponse.json({ overridden: true })));
  server.reset();
  expect(await server.store.repositories.chatkit.sessions.get(session_id)).toBeUndefined();
  expect(server.scenarios.active).toEqual([]);
  expect(await (await fetch('http://node.test/health')).json()).toMatchObject({ status: 'ok' });
});
