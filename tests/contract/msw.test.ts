import { ChatKitSession } from '@cartrita/contracts';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ContractTarget, contractCases } from './cases.js';
import { chatContractCases } from './chat-cases.js';

const baseURL = 'http://cartrita.test';
// setupServer from msw/node with the handlers of every route (createHandlers) over a fresh store.
const server = setupCartritaServer({ baseURL });

const target: ContractTarget = {
  name: 'msw',
  baseURL,
  async createSecret() {
    const response = await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' });
    return ChatKitSession.parse(await response.json()).client_secret;
  },
};

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe('the contract against the MSW handlers', () => {
  for (const contractCase of contractCases) {
    it(contractCase.name, () => contractCase.run(target));
  }
});

describe('the chat doors’ contract against the MSW handlers', () => {
  for (const contractCase of chatContractCases) {
    it(contractCase.name, () => contractCase.run(target));
  }
});
