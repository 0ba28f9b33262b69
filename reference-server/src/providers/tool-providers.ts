/**
 * @module The search and voice providers a configuration enables, built in one place: Tavily for web
 * search, Deepgram and OpenAI for speech to text.
 */
import type { VoiceProvider, WebSearchProvider } from '@cartrita/engine';
import type { ProvidersConfig } from '../config.js';
import { createDeepgramProvider } from './deepgram.js';
import { createTavilyProvider } from './tavily.js';

/** The engine's `search` and `voice` options, from the provider settings. */
export interface ToolProviders {
  search: { web: WebSearchProvider[] };
  voice: { providers: VoiceProvider[]; default?: string; maxBytes: number };
}

/** Builds the web search and voice providers whose keys are configured. */
export const createToolProviders = async (config: ProvidersConfig): Promise<ToolProviders> => {
  const web: WebSearchProvider[] = [];
  if (config.tavily) {
    const { apiKey, baseUrl, searchDepth, timeoutMs } = config.tavily;
    web.push(createTavilyProvider({ apiKey, baseUrl, searchDepth, timeoutMs }));
  }
  const voice: VoiceProvider[] = [];
  if (config.deepgram) {
    const { apiKey, baseUrl, model, timeoutMs } = config.deepgram;
    voice.push(createDeepgramProvider({ apiKey, baseUrl, model, timeoutMs }));
  }
  if (config.openai) {
    // Loaded only when configured: the openai package is the heaviest import of the server.
    const { createOpenAITranscriptionProvider } = await import('./openai-transcription.js');
    const { apiKey, baseURL, timeoutMs } = config.openai;
    voice.push(
      createOpenAITranscriptionProvider({
        apiKey,
        model: config.voice.openaiModel,
        timeoutMs,
        ...(baseURL === undefined ? {} : { baseURL }),
      }),
    );
  }
  return {
    search: { web },
    voice: {
      providers: voice,
      ...(config.voice.default === undefined ? {} : { default: config.voice.default }),
      maxBytes: config.voice.maxBytes,
    },
  };
};
