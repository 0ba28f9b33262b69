/**
 * @module Conversations and messages of seed 003 over the ChatKit store: a conversation is a thread
 * (seed 003's fields in its stored metadata, which the ChatKit wire does not show) and a message is
 * one of its items (`user_message`, `assistant_message`, or a `hidden_context_item` for `system`),
 * with its extras (thinking, token counts, extra data) kept beside the item's wire fields.
 */
import type {
  Conversation,
  ConversationCreateRequest,
  ConversationList,
  ConversationUpdateRequest,
  Message,
  MessageCreateRequest,
  MessageList,
  MessageRole,
  MessageUpdateRequest,
} from '@cartrita/contracts';
import { type AuthContext, userIdOf } from '../auth.js';
import type { BlobStore } from '../blobs.js';
import type { ChatKitRepositories, StoredItem, StoredThread } from '../chatkit/repositories.js';
import { HttpError } from '../errors.js';
import { newId, now } from '../ids.js';
import type { MemoryStore } from '../memory/repositories.js';

/** The field of a stored item that holds a message's extras; never sent on the ChatKit wire. */
export const messageExtrasField = 'cartrita_message';

/** A message's extras, as stored on its item. */
interface MessageExtras {
  thinking: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  extra_data: Record<string, unknown> | null;
}

/** An item as the ChatKit wire shows it: without the message extras kept beside it. */
export const withoutMessageExtras = <T extends StoredItem>(item: T): T => {
  if (!(messageExtrasField in item)) return item;
  const { [messageExtrasField]: _extras, ...wire } = item;
  return wire as T;
};

const itemTypes: Readonly<Record<MessageRole, string>> = {
  user: 'user_message',
  assistant: 'assistant_message',
  system: 'hidden_context_item',
};

const roleOf = (item: StoredItem): MessageRole | undefined =>
  item.type === 'user_message'
    ? 'user'
    : item.type === 'assistant_message'
      ? 'assistant'
      : item.type === 'hidden_context_item'
        ? 'system'
        : undefined;

const textOf = (item: StoredItem): string => {
  if (typeof item.content === 'string') return item.content;
  if (!Array.isArray(item.content)) return item.content === undefined ? '' : JSON.stringify(item.content);
  return (item.content as { type?: string; text?: unknown }[])
    .filter((part) => typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('');
};

const contentFor = (role: MessageRole, text: string): unknown =>
  role === 'user'
    ? [{ type: 'input_text', text }]
    : role === 'assistant'
      ? [{ type: 'output_text', text, annotations: [] }]
      : text;

/** The user a request acts for: conversations belong to users, so a caller without one is refused. */
export const conversationUserOf = (auth: AuthContext | undefined): string => {
  const userId = auth ? userIdOf(auth) : undefined;
  if (!userId) throw new HttpError('UNAUTHORIZED', 'A client secret or an API key is required.');
  return userId;
};

/** What the service needs. */
export interface ConversationDeps {
  repositories: Pick<ChatKitRepositories, 'threads' | 'items'>;
  blobs: BlobStore;
  /** Where a conversation's memories are kept (seed 004's memory area). */
  memories?: Pick<MemoryStore, 'clear'>;
  /** Checks that a persona is the user's (404 otherwise). */
  checkPersona?(userId: string, personaId: string): Promise<void>;
}

/** Conversations and messages of a user. */
export class ConversationService {
  readonly #deps: ConversationDeps;

  constructor(deps: ConversationDeps) {
    this.#deps = deps;
  }

  async create(userId: string, body: ConversationCreateRequest = {}): Promise<Conversation> {
    if (body.persona_id) await this.#deps.checkPersona?.(userId, body.persona_id);
    const thread = await this.#deps.repositories.threads.create({
      user_id: userId,
      title: body.title ?? null,
      metadata: fieldsOf(body, {}),
    });
    return toConversation(thread);
  }

  async get(userId: string, id: string): Promise<Conversation> {
    return toConversation(await this.#thread(userId, id));
  }

  async update(userId: string, id: string, body: ConversationUpdateRequest): Promise<Conversation> {
    const thread = await this.#thread(userId, id);
    if (body.persona_id) await this.#deps.checkPersona?.(userId, body.persona_id);
    const updated = await this.#deps.repositories.threads.update(id, userId, {
      ...(body.title === undefined ? {} : { title: body.title }),
      metadata: fieldsOf(body, thread.metadata),
    });
    if (!updated) throw HttpError.notFound('conversation', id);
    return toConversation(updated);
  }

  /**
   * Deletes the conversation with its messages, their feedback, its attachments (rows and bytes) and
   * the memories its exchanges left.
   */
  async delete(userId: string, id: string): Promise<{ id: string; deleted: true }> {
    const deleted = await this.#deps.repositories.threads.delete(id, userId);
    if (!deleted) throw HttpError.notFound('conversation', id);
    await Promise.all(deleted.blobKeys.map((key) => this.#deps.blobs.delete(key)));
    await this.#deps.memories?.clear({ user_id: userId, session_id: id });
    return { id, deleted: true };
  }

  /** Forgets the memories the conversation's exchanges left; the conversation stays. */
  async deleteMemories(userId: string, id: string): Promise<{ id: string; cleared: number }> {
    await this.#thread(userId, id);
    const cleared = (await this.#deps.memories?.clear({ user_id: userId, session_id: id })) ?? 0;
    return { id, cleared };
  }

  /** The user's conversations with a persona, newest first. */
  async byPersona(userId: string, personaId: string): Promise<ConversationList> {
    await this.#deps.checkPersona?.(userId, personaId);
    const conversations: Conversation[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.#deps.repositories.threads.list(userId, {
        limit: 100,
        order: 'desc',
        ...(after ? { after } : {}),
      });
      for (const thread of page.data) {
        if (thread.metadata.persona_id === personaId) conversations.push(toConversation(thread));
      }
      if (!page.has_more || !page.after) break;
      after = page.after;
    }
    return { conversations, total: conversations.length };
  }

  async addMessage(userId: string, body: MessageCreateRequest): Promise<Message> {
    const thread = await this.#thread(userId, body.conversation_id);
    const item: StoredItem = {
      id: newId('message'),
      thread_id: thread.id,
      created_at: now(),
      type: itemTypes[body.role],
      content: contentFor(body.role, body.content),
      ...(body.role === 'user' ? { attachments: [], inference_options: {} } : {}),
      [messageExtrasField]: extrasOf(body, undefined),
    };
    await this.#deps.repositories.items.save(thread.id, item);
    await this.#deps.repositories.threads.touch(thread.id);
    return toMessage(item, thread.id);
  }

  async getMessage(userId: string, id: string): Promise<Message> {
    const { item, threadId } = await this.#message(userId, id);
    return toMessage(item, threadId);
  }

  async updateMessage(userId: string, id: string, body: MessageUpdateRequest): Promise<Message> {
    const { item, threadId } = await this.#message(userId, id);
    const role = roleOf(item) as MessageRole;
    const updated: StoredItem = {
      ...item,
      ...(body.content === undefined ? {} : { content: contentFor(role, body.content) }),
      [messageExtrasField]: extrasOf(body, item[messageExtrasField] as MessageExtras | undefined),
    };
    await this.#deps.repositories.items.save(threadId, updated);
    await this.#deps.repositories.threads.touch(threadId);
    return toMessage(updated, threadId);
  }

  async deleteMessage(userId: string, id: string): Promise<{ id: string; deleted: true }> {
    const { threadId } = await this.#message(userId, id);
    await this.#deps.repositories.items.delete(threadId, id);
    await this.#deps.repositories.threads.touch(threadId);
    return { id, deleted: true };
  }

  /** A conversation's messages, oldest first: its user, assistant and system items. */
  async messages(userId: string, conversationId: string): Promise<MessageList> {
    const thread = await this.#thread(userId, conversationId);
    const messages: Message[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.#deps.repositories.items.list(thread.id, {
        limit: 100,
        order: 'asc',
        includeHidden: true,
        ...(after ? { after } : {}),
      });
      for (const item of page.data) if (roleOf(item)) messages.push(toMessage(item, thread.id));
      if (!page.has_more || !page.after) break;
      after = page.after;
    }
    return { messages, total: messages.length };
  }

  async #thread(userId: string, id: string): Promise<StoredThread> {
    const thread = await this.#deps.repositories.threads.get(id, userId);
    if (!thread) throw HttpError.notFound('conversation', id);
    return thread;
  }

  /** A message of one of the user's conversations: another user's reads as absent. */
  async #message(userId: string, id: string): Promise<{ item: StoredItem; threadId: string }> {
    const threadId = await this.#deps.repositories.items.threadOf(id);
    const thread =
      threadId === undefined ? undefined : await this.#deps.repositories.threads.get(threadId, userId);
    const item = thread ? await this.#deps.repositories.items.get(thread.id, id) : undefined;
    if (!thread || !item || !roleOf(item)) throw HttpError.notFound('message', id);
    return { item, threadId: thread.id };
  }
}

/** Seed 003's fields of a conversation over what its thread's metadata held. */
const fieldsOf = (
  body: ConversationCreateRequest,
  metadata: Record<string, unknown>,
): Record<string, unknown> => {
  const fields = { ...metadata };
  for (const key of ['persona_id', 'provider_type', 'provider_config'] as const) {
    if (body[key] === undefined) continue;
    if (body[key] === null) delete fields[key];
    else fields[key] = body[key];
  }
  return fields;
};

const toConversation = (thread: StoredThread): Conversation => ({
  id: thread.id,
  title: thread.title,
  persona_id: typeof thread.metadata.persona_id === 'string' ? thread.metadata.persona_id : null,
  provider_type: typeof thread.metadata.provider_type === 'string' ? thread.metadata.provider_type : null,
  provider_config:
    thread.metadata.provider_config && typeof thread.metadata.provider_config === 'object'
      ? (thread.metadata.provider_config as Record<string, unknown>)
      : null,
  created_at: thread.created_at,
  updated_at: thread.updated_at,
});

const extrasOf = (body: MessageUpdateRequest, before: MessageExtras | undefined): MessageExtras => ({
  thinking: body.thinking === undefined ? (before?.thinking ?? null) : body.thinking,
  input_tokens: body.input_tokens === undefined ? (before?.input_tokens ?? null) : body.input_tokens,
  output_tokens: body.output_tokens === undefined ? (before?.output_tokens ?? null) : body.output_tokens,
  extra_data: body.extra_data === undefined ? (before?.extra_data ?? null) : body.extra_data,
});

const toMessage = (item: StoredItem, conversationId: string): Message => {
  const extras = item[messageExtrasField] as MessageExtras | undefined;
  return {
    id: item.id,
    conversation_id: conversationId,
    role: roleOf(item) as MessageRole,
    content: textOf(item),
    thinking: extras?.thinking ?? null,
    input_tokens: extras?.input_tokens ?? null,
    output_tokens: extras?.output_tokens ?? null,
    extra_data: extras?.extra_data ?? null,
    created_at: item.created_at ?? now(),
  };
};
