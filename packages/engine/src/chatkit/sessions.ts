/**
 * @module ChatKit sessions: who may get a client secret, for which user, for how long. The route is
 * open, so a credential matters only where the configuration or a named user asks for one.
 */
import { type ChatKitSession, grantsScope, type Scope, type SessionCreateParams } from '@cartrita/contracts';
import type { Caller } from '../auth.js';
import type { Clock } from '../clock.js';
import { HttpError } from '../errors.js';
import { newId } from '../ids.js';
import type { Signer } from '../signer.js';
import type { UploadLimits } from '../uploads/policy.js';
import { signClientSecret } from './client-secret.js';
import type { ChatKitRepositories } from './repositories.js';

/** What session bootstrap needs. */
export interface SessionDeps {
  repositories: Pick<ChatKitRepositories, 'sessions'>;
  signer: Signer;
  limits: UploadLimits;
  /** Lifetime of a client secret when the request names none, in seconds. */
  ttlSeconds: number;
  /** Whether only callers with an API key (with the `chat` scope) get sessions. */
  requireApiKey: boolean;
  /** Whether `input.transcribe` has a voice provider behind it. */
  transcription: boolean;
  /** The models the configured providers serve, reported so a client can offer them. */
  models?: Array<{ id: string; label: string; default?: boolean }>;
  /** The composer tools the configured providers honour, reported so a client can offer them. */
  tools?: Array<{ id: string; label: string }>;
  clock: Clock;
}

/**
 * Mints a session and its client secret. Anyone gets one for a new anonymous user unless
 * `requireApiKey` (then 401 without a key, 403 without the `chat` scope); naming `user` takes an API
 * key with `chat` and `act_as_user`, and the secret then acts for `usr_<user>`.
 */
export const createSession = async (
  deps: SessionDeps,
  params: SessionCreateParams,
  caller: Caller,
): Promise<ChatKitSession> => {
  const key = caller.auth.kind === 'api_key' ? caller.auth : undefined;
  const lacking = (scopes: readonly Scope[]) =>
    scopes.find((scope) => !grantsScope(key?.scopes ?? [], scope));
  if (deps.requireApiKey) {
    if (!key) {
      if (caller.failure) throw caller.failure;
      throw new HttpError('UNAUTHORIZED', 'This server issues sessions only to callers with an API key.', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    if (lacking(['chat'])) {
      throw new HttpError(
        'FORBIDDEN',
        `The API key "${key.keyId}" lacks the "chat" scope needed to create sessions.`,
        {
          details: { required_scope: 'chat' },
        },
      );
    }
  }
  if (params.user) {
    if (!key)
      throw new HttpError('FORBIDDEN', 'Only a caller with an API key may name the user of a session.');
    const missing = lacking(['chat', 'act_as_user']);
    if (missing) {
      throw new HttpError(
        'FORBIDDEN',
        `The API key "${key.keyId}" lacks the "${missing}" scope needed to create a session for a named user.`,
        { details: { required_scope: missing } },
      );
    }
  }
  const userId = params.user ? `usr_${params.user}` : newId('user', 8);
  const ttl = params.ttl_seconds ?? deps.ttlSeconds;
  const expiresAt = new Date(deps.clock.now().getTime() + ttl * 1000);
  const session = await deps.repositories.sessions.create({
    id: newId('session', 8),
    user_id: userId,
    expires_at: expiresAt,
  });
  return {
    client_secret: await signClientSecret({ sessionId: session.id, userId, expiresAt }, deps.signer),
    session_id: session.id,
    expires_at: expiresAt.toISOString(),
    user_id: userId,
    capabilities: {
      transcription: deps.transcription,
      attachments: { max_bytes: deps.limits.maxBytes, accept: [...deps.limits.allowedTypes] },
      ...(deps.models ? { models: deps.models } : {}),
      ...(deps.tools?.length ? { tools: deps.tools } : {}),
    },
  };
};
