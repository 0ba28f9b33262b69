/**
 * What a credential may do. Every route of the table names the one scope it needs (or is open), the
 * server enforces it from there, and OpenAPI shows it as the operation's security requirement.
 */
export const scopes = {
  admin: 'Every scope, including operating the server.',
  chat: 'The chat doors and ChatKit: threads, messages, replies, attachments and memories of the caller’s user.',
  sessions: 'The LLMGine API: sessions, commands, events, engines, tools and handlers of the caller’s user.',
  events: 'Read and follow the events of a session (a client secret reaches its own session’s only).',
  observability: 'Logs, metrics, traces, the server’s status and its configuration sections.',
  act_as_user:
    'Act for another user: name the user in `X-Cartrita-User`, or the `user` of a new ChatKit session.',
  voice: 'Speech to text.',
  search: 'Web and local search.',
  huggingface: 'The Hugging Face proxy; on a key that also has `chat`, the `huggingface` chat provider.',
  openai: 'On a key that also has `chat`: the `openai` chat provider (see the provider scopes).',
  github: 'The GitHub proxy.',
  computer_use: 'Computer-use runs: the model’s actions for the caller’s own computer or browser.',
} as const;

/** The name of a scope. */
export type Scope = keyof typeof scopes;

/** Every scope name. */
export const scopeNames = Object.keys(scopes) as Scope[];

/**
 * The scopes a client secret carries. A client secret belongs to one session of one user: it reaches
 * only that user's chats and its own session's events, and never acts for another user.
 */
export const clientSecretScopes: readonly Scope[] = ['chat', 'events'];

/**
 * Scopes that include others: a key for the LLMGine API also reads the events it publishes. (`admin`
 * includes every scope.)
 */
export const impliedScopes: Readonly<Partial<Record<Scope, readonly Scope[]>>> = { sessions: ['events'] };

/** Whether a list of granted scopes includes `scope`, directly or through `admin` or {@link impliedScopes}. */
export const grantsScope = (granted: readonly string[], scope: Scope): boolean =>
  granted.includes(scope) ||
  granted.includes('admin') ||
  granted.some((name) => impliedScopes[name as Scope]?.includes(scope) ?? false);

/**
 * Scopes that name an upstream chat provider. A key that holds one or more of them may use only
 * those providers (and the offline `demo`) on the chat doors; a key that holds none may use every
 * configured provider. Their other endpoints (`/api/huggingface/...`) need their scope as usual.
 */
export const providerScopes: readonly Scope[] = ['openai', 'huggingface'];

/** Whether a list of granted scopes lets a chat door use `provider`. */
export const grantsProvider = (granted: readonly string[], provider: string): boolean => {
  if (granted.includes('admin') || provider === 'demo') return true;
  const held = providerScopes.filter((scope) => granted.includes(scope));
  return held.length === 0 || held.includes(provider as Scope);
};
