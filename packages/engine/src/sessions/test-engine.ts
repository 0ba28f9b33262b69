/** @module An engine over memory for the session area's tests, with a caller of its own user. */
import { defaultUploadTypes } from '@cartrita/contracts';
import { createMemoryBlobStore } from '../blobs.js';
import { createEngine, type EngineOptions } from '../engine.js';
import { createMemoryRepositories } from '../memory.js';
import { createDemoProvider } from '../providers/demo.js';
import { createSigner } from '../signer.js';
import type { SessionCaller } from './access.js';

/** A fresh engine over memory, and a caller of one user. */
export const testEngine = (options: Partial<EngineOptions> = {}) => {
  const repositories = createMemoryRepositories();
  const engine = createEngine({
    repositories,
    blobs: createMemoryBlobStore(),
    signer: createSigner(new Uint8Array(32).fill(7)),
    providers: { list: [createDemoProvider({ paceMs: 0 })], default: 'demo' },
    uploads: { maxBytes: 1024, allowedTypes: defaultUploadTypes },
    sessions: { ttlSeconds: 3600 },
    ...options,
  });
  const caller: SessionCaller = { userId: 'usr_test' };
  return { engine, repositories, caller };
};

/** Waits until `check` holds, giving the engine's background work its turns. */
export const eventually = async (check: () => Promise<boolean> | boolean): Promise<void> => {
  for (let turn = 0; turn < 2000; turn++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('The condition did not hold');
};
