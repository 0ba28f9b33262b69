/** @module One whole reply from a provider, for callers that do not stream (engines, agents). */
import { HttpError, isHttpError } from '../errors.js';
import type { ChatProvider, ProviderCompletion, ProviderRequest } from './types.js';

/**
 * Asks a provider for a whole reply: its `complete` when it has one, else its stream, gathered.
 * A provider's failure is a 502 `PROVIDER_ERROR` (an `HttpError` it throws passes as it is).
 */
export const completeWith = async (
  provider: ChatProvider,
  request: ProviderRequest,
): Promise<ProviderCompletion> => {
  try {
    if (provider.complete) return await provider.complete(request);
    let text = '';
    let usage: ProviderCompletion['usage'];
    for await (const chunk of provider.stream(request)) {
      if (chunk.type === 'text') text += chunk.delta;
      else if (chunk.type === 'usage') usage = chunk.usage;
      else if (chunk.type === 'error') throw new HttpError('PROVIDER_ERROR', chunk.message);
    }
    return { text, model: request.model ?? provider.defaultModel, ...(usage ? { usage } : {}) };
  } catch (error) {
    if (isHttpError(error)) throw error;
    throw new HttpError(
      'PROVIDER_ERROR',
      `The provider "${provider.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
};
