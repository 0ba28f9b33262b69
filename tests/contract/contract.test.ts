/**
 * The contract suite: every case runs against the MSW mocks and against the reference server over
 * real HTTP on SQLite and on PostgreSQL. Each case checks every answer against the contracts on each
 * target; then the three transcripts (every status and whole body, ids and times normalised) must
 * be equal, so the mocks answer as the server does, value for value.
 */
import { ChatKitSession } from '@cartrita/contracts';
import { createQuickJsSandbox } from '@cartrita/engine/quickjs';
import { createStore } from '@cartrita/msw';
import { asyncSpanContext, nodeFileExtractor, setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../reference-server/src/app.js';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { postgresWorkerDatabaseUrl } from '../engines.js';
import { createTestPostgresSchema, type TestPostgresTarget } from '../postgres.js';
import { agentsContractCases } from './agents-cases.js';
import { type ContractCase, type ContractTarget, contractCases } from './cases.js';
import { chatContractCases } from './chat-cases.js';
import { conversationContractCases } from './conversation-cases.js';
import { driftCases } from './drift-cases.js';
import { filesContractCases } from './files-cases.js';
import { llmgineContractCases } from './llmgine-cases.js';
import { memoryContractCases } from './memory-cases.js';
import { observabilityContractCases } from './observability-cases.js';
import { personasContractCases } from './personas-cases.js';
import { providerContractCases } from './provider-cases.js';
import { createRecorder } from './transcript.js';
import { voiceContractCases } from './voice-cases.js';

/** A target that records what it answers. */
type RecordedTarget = ContractTarget & { transcript: ReturnType<typeof createRecorder>['transcript'] };

/** The API key with the `observability` scope that every target accepts. */
const observerKey = 'contract-observer-0123456789abcdef';
/** An API key with every scope that every target accepts; each case acts for a user of its own. */
const adminKey = 'contract-admin-0123456789abcdef';
let users = 0;

const target = (name: string, baseURL: () => string): RecordedTarget => {
  let recorder: ReturnType<typeof createRecorder> | undefined;
  const current = () => {
    recorder ??= createRecorder(baseURL());
    return recorder;
  };
  return {
    name,
    get baseURL() {
      return baseURL();
    },
    fetch: (input, init, options) => current().fetch(input, init, options),
    async createSecret() {
      const response = await fetch(`${baseURL()}/api/chatkit/session`, { method: 'POST' });
      return ChatKitSession.parse(await response.json()).client_secret;
    },
    apiHeaders: () => {
      users += 1;
      return { 'x-api-key': adminKey, 'x-cartrita-user': `contract-user-${users}` };
    },
    transcript: () => current().transcript(),
    observerKey,
  };
};

const mockURL = 'http://cartrita.contract.test';
// The mocks as a user sets them up, reporting the server's version like the server does.
const mock = setupCartritaServer({
  store: createStore({
    baseURL: mockURL,
    version,
    apiKeys: [
      { key: observerKey, name: 'observer', scopes: ['observability'] },
      { key: adminKey, name: 'admin', scopes: ['admin'] },
    ],
    spanContext: asyncSpanContext(),
    sandbox: createQuickJsSandbox(),
    fileExtractor: nodeFileExtractor(),
  }),
});
const serverEnv = { API_KEYS: `observer:observability:${observerKey},admin:admin:${adminKey}` };

const servers: Partial<Record<'sqlite' | 'postgres', TestServer>> = {};
let schema: TestPostgresTarget | undefined;
const serverURL = (engine: 'sqlite' | 'postgres') => () => {
  const server = servers[engine];
  if (!server) throw new Error(`The reference server on ${engine} did not start`);
  return server.url.replace(/\/+$/, '');
};

const targets: RecordedTarget[] = [
  target('msw', () => mockURL),
  target('server (sqlite)', serverURL('sqlite')),
  target('server (postgres)', serverURL('postgres')),
];

beforeAll(async () => {
  // Requests to the real servers pass through the mocks untouched.
  mock.listen({ onUnhandledFrame: 'bypass' });
  schema = await createTestPostgresSchema(await postgresWorkerDatabaseUrl());
  [servers.sqlite, servers.postgres] = await Promise.all([
    startTestServer({ env: serverEnv }),
    startTestServer({ env: { ...serverEnv, DATABASE_URL: schema.url } }),
  ]);
});
afterAll(async () => {
  mock.close();
  await Promise.all([servers.sqlite?.close(), servers.postgres?.close()]);
  await schema?.drop();
});

const compared = (cases: readonly ContractCase[]) => {
  for (const contractCase of cases) {
    it(
      contractCase.name,
      async () => {
        const transcripts = [];
        for (const each of targets) {
          await contractCase.run(each);
          transcripts.push(await each.transcript());
        }
        const [mocks, sqlite, postgres] = transcripts;
        expect(mocks?.length, 'requests recorded').toBeGreaterThan(0);
        expect(sqlite, 'the server on SQLite answers as the mocks do').toEqual(mocks);
        expect(postgres, 'the server on PostgreSQL answers as the mocks do').toEqual(mocks);
      },
      contractCase.timeoutMs,
    );
  }
};

describe('the mocks and the server answer alike', () => {
  describe('ChatKit', () => compared(contractCases));
  describe('the chat doors', () => compared(chatContractCases));
  describe('rules the mocks once kept differently', () => compared(driftCases));
  describe('LLMGine (seed 001)', () => compared(llmgineContractCases));
  describe('observability', () => compared(observabilityContractCases));
  describe('conversations and messages (seed 003)', () => compared(conversationContractCases));
  describe('memory and configuration (seed 004)', () => compared(memoryContractCases));
  describe('files (seed 004)', () => compared(filesContractCases));
  describe('Project 2501 (seed 003)', () => compared(personasContractCases));
  describe('providers not configured (seed 000)', () => compared(providerContractCases));
  describe('agents (seed 000)', () => compared(agentsContractCases));
  describe('voice (seed 000)', () => compared(voiceContractCases));
});
