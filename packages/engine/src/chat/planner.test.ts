import { defaultUploadTypes } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../blobs.js';
import { createEngine } from '../engine.js';
import { createMemoryRepositories } from '../memory.js';
import { createDemoProvider } from '../providers/demo.js';
import type { ChatProvider } from '../providers/types.js';
import { createSigner } from '../signer.js';
import { studioSessionTopic } from '../studio/topics.js';
import { sessionChatReply } from './doors.js';

/** An engine over one provider, a chat door, and the studio updates of the sessions it watches. */
const engineWith = (provider: ChatProvider) => {
  const engine = createEngine({
    repositories: createMemoryRepositories(),
    blobs: createMemoryBlobStore(),
    signer: createSigner(new Uint8Array(32).fill(5)),
    providers: { list: [provider], default: provider.name },
    uploads: { maxBytes: 1024, allowedTypes: defaultUploadTypes },
    sessions: { ttlSeconds: 3600 },
  });
  const chat = (message: string, sessionId?: string) =>
    sessionChatReply(
      engine.chat,
      { message, ...(sessionId ? { session_id: sessionId } : {}) },
      { userId: 'usr_p', baseUrl: 'http://localhost' },
      new AbortController().signal,
    );
  const watch = async (sessionId: string) => {
    const updates: { type: string; stage?: string; detail?: string | null; nodes?: { id: string }[] }[] = [];
    await engine.bus.subscribe<(typeof updates)[number]>(
      studioSessionTopic('usr_p', sessionId),
      (message) => {
        updates.push(message.data);
      },
    );
    return updates;
  };
  return { engine, chat, watch };
};

describe('the planner section in chat turns', () => {
  it('publishes each turn’s plan, and none once the planner is off', async () => {
    const { engine, chat, watch } = engineWith(createDemoProvider({ paceMs: 0 }));
    const first = await chat('hello');
    const updates = await watch(first.session_id);
    await chat('/progress', first.session_id);
    const plans = updates.filter((update) => update.type === 'plan_graph_update');
    expect(plans.at(-1)?.nodes?.map((node) => node.id)).toEqual([
      'input',
      'model',
      'step-1',
      'step-2',
      'step-3',
      'reply',
    ]);
    await engine.config.update('planner', { updates: { enabled: false } });
    updates.length = 0;
    const reply = await chat('/progress', first.session_id);
    expect(reply.response).toBe('All three steps are done.');
    expect(updates.filter((update) => update.type === 'plan_graph_update')).toEqual([]);
    expect(updates.filter((update) => update.type === 'agent_execution_update').map((u) => u.stage)).toEqual([
      'started',
      'step',
      'step',
      'step',
      'streaming',
      'completed',
    ]);
  });

  it('stops a turn that takes more steps than max_steps before it answers', async () => {
    const { engine, chat, watch } = engineWith(createDemoProvider({ paceMs: 0 }));
    const first = await chat('hello');
    const updates = await watch(first.session_id);
    await engine.config.update('planner', { updates: { max_steps: 2 } });
    const reply = await chat('/progress', first.session_id);
    expect(reply.response).toBe('');
    const stages = updates.filter((update) => update.type === 'agent_execution_update');
    expect(stages.map((update) => [update.stage, update.detail])).toEqual([
      ['started', null],
      ['step', 'Searching the docs...'],
      ['step', 'Reading three pages...'],
      ['cancelled', null],
    ]);
    expect((await engine.memory.list({ limit: 10, offset: 0 }, 'usr_p')).total).toBe(1);
  });

  it('stops a turn whose steps run past timeout_seconds before the first text', async () => {
    const stuck: ChatProvider = {
      name: 'stuck',
      defaultModel: 'stuck-model',
      async *stream(request) {
        yield { type: 'progress', text: 'Looking things up...' };
        await new Promise((_, reject) =>
          request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }),
        );
      },
    };
    const { engine, chat } = engineWith(stuck);
    await engine.config.update('planner', { updates: { timeout_seconds: 1 } });
    const reply = await chat('Find it');
    expect(reply.response).toBe('');
    expect((await engine.memory.list({ limit: 10, offset: 0 }, 'usr_p')).total).toBe(0);
  });
});
