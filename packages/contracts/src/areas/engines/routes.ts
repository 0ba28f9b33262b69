import { defineRoute } from '../../route.js';
import {
  Engine,
  EngineCreateRequest,
  EngineDeleted,
  EngineExecuteRequest,
  EngineExecution,
  EngineList,
  EngineListQuery,
  EngineParams,
} from './schemas.js';

const sessions = { scope: 'sessions' } as const;

/** LLMGine's engines (seed 001). */
export const engineRoutes = [
  defineRoute({
    id: 'engines.create',
    method: 'POST',
    path: '/api/engines',
    tag: 'engines',
    summary: 'Create an engine in a session',
    description:
      '`engine_type` is `DummyEngine` or a chat provider’s name (`demo`, `openai`); any other is 422, ' +
      'naming the types there are.',
    auth: sessions,
    body: EngineCreateRequest,
    response: { status: 201, json: Engine, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'engines.list',
    method: 'GET',
    path: '/api/engines',
    tag: 'engines',
    summary: 'List engines',
    auth: sessions,
    query: EngineListQuery,
    response: { json: EngineList, nulls: true },
    errors: [],
  }),
  defineRoute({
    id: 'engines.get',
    method: 'GET',
    path: '/api/engines/{engine_id}',
    tag: 'engines',
    summary: 'Get an engine',
    auth: sessions,
    params: EngineParams,
    response: { json: Engine, nulls: true },
    errors: ['ENGINE_NOT_FOUND'],
  }),
  defineRoute({
    id: 'engines.execute',
    method: 'POST',
    path: '/api/engines/{engine_id}/execute',
    tag: 'engines',
    summary: 'Run a prompt on an engine',
    description:
      'A provider engine calls its provider through the same layer as the chat doors (usage recorded); ' +
      '503 `PROVIDER_NOT_CONFIGURED` when the provider has no key here.',
    auth: sessions,
    params: EngineParams,
    body: EngineExecuteRequest,
    response: { json: EngineExecution, nulls: true },
    errors: ['ENGINE_NOT_FOUND', 'CONFLICT', 'PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR'],
  }),
  defineRoute({
    id: 'engines.delete',
    method: 'DELETE',
    path: '/api/engines/{engine_id}',
    tag: 'engines',
    summary: 'Delete an engine',
    auth: sessions,
    params: EngineParams,
    response: { json: EngineDeleted, nulls: true },
    errors: ['ENGINE_NOT_FOUND'],
  }),
] as const;
