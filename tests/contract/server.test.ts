import { ChatKitSession } from '@cartrita/contracts';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { postgresWorkerDatabaseUrl } from '../engines.js';
import { createTestPostgresSchema, type TestPostgresTarget } from '../postgres.js';
import { type ContractTarget, contractCases } from './cases.js';
import { chatContractCases } from './chat-cases.js';

/** The same cases as against the mocks, over real HTTP, with the server's storage on each engine. */
describe.each(['sqlite', 'postgres'] as const)(
  'the contract against the reference server on %s',
  (engine) => {
    let server: TestServer | undefined;
    let schema: TestPostgresTarget | undefined;

    const target: ContractTarget = {
      name: `server (${engine})`,
      get baseURL() {
        if (!server) throw new Error('The reference server did not start');
        return server.url.replace(/\/+$/, '');
      },
      async createSecret() {
        const response = await fetch(`${this.baseURL}/api/chatkit/session`, { method: 'POST' });
        return ChatKitSession.parse(await response.json()).client_secret;
      },
    };

    beforeAll(async () => {
      if (engine === 'postgres') schema = await createTestPostgresSchema(await postgresWorkerDatabaseUrl());
      server = await startTestServer(schema ? { env: { DATABASE_URL: schema.url } } : {});
    });
    afterAll(async () => {
      await server?.close();
      await schema?.drop();
    });

    for (const contractCase of contractCases) {
      it(contractCase.name, () => contractCase.run(target));
    }

    describe('the chat doors', () => {
      for (const contractCase of chatContractCases) {
        it(contractCase.name, () => contractCase.run(target));
      }
    });
  },
);
