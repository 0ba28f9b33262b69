/**
 * @module Which memories join a prompt: the user's profile entries and facts and the session's past
 * exchanges, the most relevant to the new message first, within the `memory` section's budget.
 */
import type { MemoryConfig } from '@cartrita/contracts';
import type { ChatMessage } from '../providers/types.js';
import type { MemoryStore, StoredMemory } from './repositories.js';

/** How many of the newest memories are weighed for one prompt. */
const candidateLimit = 200;

/** What one prompt's recall is asked. */
export interface RecallRequest {
  userId: string;
  /** The conversation the prompt belongs to: only its own conversation memories are weighed. */
  sessionId: string;
  /** The new message: memories that share its words come first. */
  query: string;
}

const words = (text: string): Set<string> =>
  new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2),
  );

/**
 * A memory's relevance to a query: the share of the query's words it contains. Profile entries count
 * a little even without a shared word, as they describe who is asking.
 */
export const relevance = (memory: Pick<StoredMemory, 'content' | 'type'>, query: Set<string>): number => {
  const own = words(memory.content);
  let shared = 0;
  for (const word of query) if (own.has(word)) shared += 1;
  const overlap = query.size === 0 ? 0 : shared / query.size;
  return overlap + (memory.type === 'profile' ? 0.1 : 0);
};

/**
 * Picks the memories for one prompt: the candidates by relevance, newer first among equals, at most
 * `max_memories_per_prompt` of them and `max_memory_chars` characters in all; none when memory is
 * off. Resolves them in the order they are shown (most relevant first).
 */
export const recallMemories = async (
  repository: MemoryStore,
  settings: MemoryConfig,
  request: RecallRequest,
): Promise<StoredMemory[]> => {
  if (!settings.enabled || settings.max_memories_per_prompt === 0 || settings.max_memory_chars === 0) {
    return [];
  }
  const candidates = await repository.candidates({
    user_id: request.userId,
    session_id: request.sessionId,
    limit: candidateLimit,
  });
  const query = words(request.query);
  // Candidates come newest first; a stable sort keeps that order among equally relevant ones.
  const ranked = candidates
    .map((memory) => ({ memory, score: relevance(memory, query) }))
    .sort((a, b) => b.score - a.score);
  const chosen: StoredMemory[] = [];
  let budget = settings.max_memory_chars;
  for (const { memory } of ranked) {
    if (chosen.length >= settings.max_memories_per_prompt) break;
    if (memory.content.length > budget) continue;
    chosen.push(memory);
    budget -= memory.content.length;
  }
  return chosen;
};

/**
 * The user's memories that share words with a query, most relevant first (newer first among equals),
 * at most `limit`, each with its share of the query's words (0 to 1) as `score`: what a `local`
 * search finds among memories. Only the newest {@link candidateLimit} are weighed.
 */
export const searchMemories = async (
  repository: MemoryStore,
  request: { userId: string; query: string; limit: number },
): Promise<{ memory: StoredMemory; score: number }[]> => {
  const query = words(request.query);
  if (query.size === 0) return [];
  const { memories } = await repository.list({ user_id: request.userId, limit: candidateLimit, offset: 0 });
  return memories
    .map((memory) => {
      const own = words(memory.content);
      let shared = 0;
      for (const word of query) if (own.has(word)) shared += 1;
      return { memory, score: shared / query.size };
    })
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, request.limit);
};

/** The system message that gives a prompt its memories, or `undefined` when there are none. */
export const memoryPrompt = (memories: readonly StoredMemory[]): string | undefined => {
  if (memories.length === 0) return undefined;
  const lines = memories.map((memory) => `- (${memory.type}) ${memory.content.replace(/\s*\n\s*/g, ' / ')}`);
  return ['What you remember of this user and conversation:', ...lines].join('\n');
};

/**
 * The messages a turn's prompt starts with: one system message with the memories recalled for the
 * latest user message of `messages`, or none.
 */
export const recallForPrompt = async (
  repository: MemoryStore,
  settings: MemoryConfig,
  request: { userId: string; threadId: string; messages: readonly ChatMessage[] },
): Promise<ChatMessage[]> => {
  const latest = request.messages.findLast((message) => message.role === 'user');
  if (!latest) return [];
  const memories = await recallMemories(repository, settings, {
    userId: request.userId,
    sessionId: request.threadId,
    query: latest.content,
  });
  const content = memoryPrompt(memories);
  return content === undefined ? [] : [{ role: 'system', content }];
};
