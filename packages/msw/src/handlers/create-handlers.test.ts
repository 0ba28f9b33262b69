import { defineRoute, ErrorEnvelope, HealthResponse, routes, toExpressPath } from '@cartrita/contracts';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { MockHttpError } from '../errors.js';
import { createScenarios } from '../scenarios.js';
import { createStore } from '../store.js';
import { createHandlers, handlersFor, implementations, mockRoute } from './create-handlers.js';

describe('createHandlers', () => {
  it('mocks every route of the table once, at its method and path', () => {
    const handlers = createHandlers({ baseURL: 'http://api.test' });
    expect(handlers).toHaveLength(routes.length);
    const mocked = handlers.map((handler) => `${handler.info.method} ${handler.info.path}`);
    expect(mocked).toEqual(
      routes.map((route) => `${route.method} http://api.test${toExpressPath(route.path)}`),
    );
  });

  it('has an implementation for every route id and nothing else', () => {
    expect(Object.keys(implementations).sort()).toEqual(routes.map((route) => route.id).sort());
  });

  it('throws when a route of the table has no mock', () => {
    const extra = defineRoute({
      id: 'widgets.explode',
      method: 'POST',
      path: '/api/widgets/{id}/explode',
      tag: 'widgets',
      summary: 'A route added to the table without a mock',
      auth: 'none',
      response: { json: HealthResponse },
      errors: [],
    });
    const environment = { baseURL: 'http://api.test', store: createStore(), scenarios: createScenarios() };
    expect(() => handlersFor([...routes, extra], implementations, environment)).toThrow(
      /no mock for the route\(s\) widgets\.explode/,
    );
  });

  it('uses the store’s base URL and refuses a different one', () => {
    const store = createStore({ baseURL: 'http://store.test' });
    expect(createHandlers({ store })[0]?.info.path).toBe('http://store.test/health');
    expect(() => createHandlers({ store, baseURL: 'http://other.test' })).toThrow(/differs from the store/);
  });
});

describe('mockRoute', () => {
  it('replaces one route and keeps auth, validation and the envelope', async () => {
    const store = createStore({ baseURL: 'http://override.test' });
    const server = setupServer(...createHandlers({ store }));
    server.listen({ onUnhandledFrame: 'error' });
    try {
      server.use(
        mockRoute(
          'chatkit.session.create',
          () => {
            throw new MockHttpError('SERVICE_UNAVAILABLE', 'Sessions are paused');
          },
          { store },
        ),
      );
      const paused = await fetch('http://override.test/api/chatkit/session', { method: 'POST' });
      expect(paused.status).toBe(503);
      expect(ErrorEnvelope.parse(await paused.json()).error.message).toBe('Sessions are paused');
      const invalid = await fetch('http://override.test/api/chatkit/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"ttl_seconds": "soon"}',
      });
      expect(invalid.status).toBe(422);
      const health = await fetch('http://override.test/health');
      expect(health.status).toBe(200);
    } finally {
      server.close();
    }
  });
});
