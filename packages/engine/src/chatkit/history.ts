/** @module A thread's items as the messages a provider sees. */
import type { ChatMessage } from '../providers/types.js';
import type { StoredItem } from './repositories.js';

/** The text parts of a message's content, one per line. */
export const textOf = (parts: unknown): string =>
  Array.isArray(parts)
    ? parts
        .map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''))
        .filter(Boolean)
        .join('\n')
    : '';

/**
 * Turns stored thread items into the messages a provider sees. Items a model cannot use (widgets,
 * workflows, end-of-turn markers) are summarised or left out.
 */
export const toChatMessages = (items: readonly StoredItem[]): ChatMessage[] => {
  const messages: ChatMessage[] = [];
  for (const item of items) {
    switch (item.type) {
      case 'user_message': {
        const attachments = Array.isArray(item.attachments)
          ? (item.attachments as { name?: string }[]).map((a) => a.name).filter(Boolean)
          : [];
        const quoted = typeof item.quoted_text === 'string' ? `> ${item.quoted_text}\n\n` : '';
        const files = attachments.length > 0 ? `\n\n[attached: ${attachments.join(', ')}]` : '';
        messages.push({ role: 'user', content: `${quoted}${textOf(item.content)}${files}` });
        break;
      }
      case 'assistant_message':
        messages.push({ role: 'assistant', content: textOf(item.content) });
        break;
      case 'client_tool_call':
        if (item.status === 'completed') {
          messages.push({
            role: 'tool',
            toolName: String(item.name),
            content: JSON.stringify(item.output ?? null),
          });
        }
        break;
      case 'structured_input':
        if (item.status !== 'pending') {
          const answers = (
            item.inputs as { question: string; answer?: { values: string[]; skipped: boolean } }[]
          )
            .map(
              (q) => `${q.question} ${q.answer?.skipped ? '(skipped)' : (q.answer?.values ?? []).join(', ')}`,
            )
            .join('\n');
          messages.push({ role: 'user', content: answers });
        }
        break;
      case 'sdk_hidden_context':
      case 'hidden_context_item':
        messages.push({
          role: 'system',
          content: typeof item.content === 'string' ? item.content : JSON.stringify(item.content),
        });
        break;
      default:
        break;
    }
  }
  return messages;
};
