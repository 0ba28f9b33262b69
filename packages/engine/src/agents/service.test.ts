import { defaultUploadTypes } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../blobs.js';
import { createEngine } from '../engine.js';
import { createMemoryRepositories } from '../memory.js';
import { createProviderCalls } from '../providers/calls.js';
import { createDemoProvider } from '../providers/demo.js';
import { createMemoryProviderLimiter } from '../providers/limits.js';
import { createSigner } from '../signer.js';

/** An engine whose demo provider has a budget of one call a minute (a burst of two). */
const limitedEngine = () => {
  const providerCalls = createProviderCalls({
    limits: { demo: { perWindow: 1, windowMs: 60_000 } },
    limiter: createMemoryProviderLimiter(() => 1_000_000),
    now: () => 1_000_000,
  });
  const engine = createEngine({
    repositories: createMemoryRepositories(),
    blobs: createMemoryBlobStore(),
    signer: createSigner(new Uint8Array(32).fill(1)),
    providers: { list: [createDemoProvider({ paceMs: 0 })], default: 'demo' },
    uploads: { maxBytes: 1024 * 1024, allowedTypes: defaultUploadTypes },
    sessions: { ttlSeconds: 3600 },
    providerCalls,
  });
  return { engine, providerCalls };
};

const statuses = async (engine: ReturnType<typeof limitedEngine>['engine'], userId: string) =>
  (await engine.agents.list(userId)).agents.map((agent) => [agent.id, agent.status]);

describe('the status of an agent', () => {
  it('says rate_limited while its provider’s burst is spent, for the provider and its active personas', async () => {
    const { engine, providerCalls } = limitedEngine();
    const active = await engine.personas.create(
      { name: 'Guide', template: 'You guide.', mode: 'reactive', is_active: true },
      'usr_a',
    );
    const resting = await engine.personas.create(
      { name: 'Rest', template: 'You rest.', mode: 'reactive', is_active: false },
      'usr_a',
    );
    // Listing looks at the budget only: however often, it spends no turn.
    for (let look = 0; look < 5; look += 1) {
      expect(await statuses(engine, 'usr_a')).toEqual([
        [active.id, 'available'],
        [resting.id, 'inactive'],
        ['demo/demo-1', 'available'],
      ]);
    }
    const turns = [];
    for (let call = 0; call < 2; call += 1) {
      turns.push(await providerCalls.call({ provider: 'demo', operation: 'chat' }, async () => call));
    }
    expect(turns).toEqual([0, 1]);
    expect(await statuses(engine, 'usr_a')).toEqual([
      [active.id, 'rate_limited'],
      [resting.id, 'inactive'],
      ['demo/demo-1', 'rate_limited'],
    ]);
  });
});

describe('what an agent id picks', () => {
  it('reads provider/model and a provider’s name as a provider, a persona id as the persona, anything else as no agent', async () => {
    const { engine } = limitedEngine();
    const persona = await engine.personas.create(
      { name: 'Guide', template: 'You guide.', mode: 'reactive', is_active: true },
      'usr_a',
    );
    expect(await engine.agents.find('demo/demo-1', 'usr_a')).toEqual({ provider: 'demo', model: 'demo-1' });
    expect(await engine.agents.find('demo', 'usr_a')).toEqual({ provider: 'demo', model: 'demo-1' });
    expect(await engine.agents.find(persona.id, 'usr_a')).toEqual({ personaId: persona.id });
    // A model name, or another user's persona, names no agent; resolve makes that a 404.
    expect(await engine.agents.find('demo-1', 'usr_a')).toBeUndefined();
    expect(await engine.agents.find(persona.id, 'usr_b')).toBeUndefined();
    const refused = await engine.agents.resolve(persona.id, 'usr_b').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'NOT_FOUND', details: { agent: persona.id } });
    const unconfigured = await engine.agents
      .find('openai/gpt-4o-mini', 'usr_a')
      .catch((error: unknown) => error);
    expect(unconfigured).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED' });
  });
});
