import { ApiHealthResponse, HealthResponse } from '@cartrita/contracts';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore } from '../store.js';
import { createHandlers } from './index.js';

const server = setupServer(...createHandlers({ store: createStore({ version: '1.2.3' }) }));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

it('answers /health with ok, the time and the version', async () => {
  const response = await fetch('http://localhost:8000/health');
  expect(response.status).toBe(200);
  expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  const body = HealthResponse.parse(await response.json());
  expect(body).toMatchObject({ status: 'ok', version: '1.2.3' });
  expect(body.timestamp).toMatch(/Z$/);
});

it('answers /api/health with healthy and the uptime', async () => {
  const body = ApiHealthResponse.parse(await (await fetch('http://localhost:8000/api/health')).json());
  expect(body.status).toBe('healthy');
  expect(body.uptime).toBeGreaterThanOrEqual(0);
});
