/**
 * @module The `huggingface` chat provider: Hugging Face's OpenAI-compatible router through the `openai`
 * package, so it streams, cancels, times out and fails exactly as the `openai` provider does.
 */
import type { HuggingFaceProviderConfig } from '../config.js';
import { createOpenAIProvider, type OpenAIProvider } from './openai.js';

/** Hugging Face's OpenAI-compatible router. */
export const defaultRouterURL = 'https://router.huggingface.co/v1';

/**
 * Creates the `huggingface` chat provider: `createOpenAIProvider` at the router, under the name
 * `huggingface` (a request's `huggingface/<model>` selects it), naming `HUGGINGFACE_API_KEY` when the key
 * is refused. The router's model ids are Hub ids, optionally with a provider suffix
 * (`meta-llama/Llama-3.1-8B-Instruct:cerebras`).
 */
export const createHuggingFaceChatProvider = (
  config: Pick<HuggingFaceProviderConfig, 'apiKey' | 'routerURL' | 'model' | 'timeoutMs'>,
): OpenAIProvider =>
  createOpenAIProvider({
    name: 'huggingface',
    keySetting: 'HUGGINGFACE_API_KEY',
    apiKey: config.apiKey,
    baseURL: config.routerURL ?? defaultRouterURL,
    model: config.model,
    timeoutMs: config.timeoutMs,
  });
