/** @module A chat provider whose every call goes through the provider-call wrapper. */
import type { ProviderCalls } from './calls.js';
import type { ChatProvider, ProviderCompletion, ProviderRequest } from './types.js';

/** The span attributes of a chat request's sampling parameters (GenAI semantic conventions). */
const requestAttributes = (request: ProviderRequest) => ({
  'gen_ai.request.temperature': request.parameters?.temperature,
  'gen_ai.request.max_tokens': request.parameters?.max_tokens,
  'gen_ai.request.top_p': request.parameters?.top_p,
});

/**
 * `provider` with its calls limited, cached (whole replies only), traced and counted by `calls`.
 * Offline providers (`demo`) are returned as they are: they call nothing upstream.
 *
 * @example
 * const openai = gateChatProvider(createOpenAIProvider(config), calls);
 */
export const gateChatProvider = (provider: ChatProvider, calls: ProviderCalls): ChatProvider => {
  if (provider.offline) return provider;
  const { complete } = provider;
  const gated: ChatProvider = {
    name: provider.name,
    defaultModel: provider.defaultModel,
    ...(provider.tools ? { tools: provider.tools } : {}),
    stream: (request) =>
      calls.stream(
        {
          provider: provider.name,
          operation: 'chat',
          model: request.model ?? provider.defaultModel,
          signal: request.signal,
          attributes: requestAttributes(request),
          usage: (chunk) =>
            chunk.type === 'usage'
              ? { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens }
              : undefined,
        },
        () => provider.stream(request),
      ),
    ...(provider.action ? { action: provider.action.bind(provider) } : {}),
  };
  if (complete) {
    gated.complete = (request): Promise<ProviderCompletion> => {
      const model = request.model ?? provider.defaultModel;
      return calls.call(
        {
          provider: provider.name,
          operation: 'chat',
          model,
          signal: request.signal,
          attributes: requestAttributes(request),
          cache: {
            request: { messages: request.messages, parameters: request.parameters ?? {} },
            temperature: request.parameters?.temperature,
          },
          usage: (result) =>
            result.usage
              ? { input: result.usage.prompt_tokens, output: result.usage.completion_tokens }
              : undefined,
          responseModel: (result) => result.model,
        },
        () => complete.call(provider, request),
      );
    };
  }
  return gated;
};
