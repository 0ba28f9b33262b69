import { defineRoute } from '../../route.js';
import {
  ApiHealthResponse,
  ConfigResponse,
  HealthResponse,
  ShutdownRequest,
  ShutdownResponse,
  StatusResponse,
} from './schemas.js';

/** Liveness, status, configuration and shutdown. */
export const systemRoutes = [
  defineRoute({
    id: 'health.get',
    method: 'GET',
    path: '/health',
    tag: 'system',
    summary: 'Liveness check',
    auth: 'none',
    response: { json: HealthResponse },
    errors: [],
  }),
  defineRoute({
    id: 'system.health',
    method: 'GET',
    path: '/api/health',
    tag: 'system',
    summary: 'Health with uptime',
    description: 'Reports `degraded` when the database does not answer.',
    auth: 'none',
    response: { json: ApiHealthResponse },
    errors: [],
  }),
  defineRoute({
    id: 'system.status',
    method: 'GET',
    path: '/api/status',
    tag: 'system',
    summary: 'What the server is doing',
    description: 'Uptime, command queues, open sockets, the sandbox pool, the database and the event bus.',
    auth: { scope: 'observability' },
    response: { json: StatusResponse },
    errors: [],
  }),
  defineRoute({
    id: 'system.config',
    method: 'GET',
    path: '/api/config',
    tag: 'system',
    summary: 'The configuration in effect',
    description:
      'Without a secret: API keys by name and scopes, passwords in URLs as `REDACTED`, provider keys and ' +
      'the signing secret as whether they are configured.',
    auth: { scope: 'admin' },
    response: { json: ConfigResponse },
    errors: [],
  }),
  defineRoute({
    id: 'system.shutdown',
    method: 'POST',
    path: '/api/shutdown',
    tag: 'system',
    summary: 'Stop the server gracefully',
    description:
      'Answers, then stops taking requests, lets running commands finish until the deadline (then ' +
      'cancels them), closes every socket with 1001, flushes what it holds and exits with status 0.',
    auth: { scope: 'admin' },
    body: ShutdownRequest,
    bodyOptional: true,
    response: { status: 202, json: ShutdownResponse },
    errors: ['SERVICE_UNAVAILABLE'],
  }),
] as const;
