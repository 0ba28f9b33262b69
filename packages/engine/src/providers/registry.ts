/** @module Which provider serves a request: by name, or by the model it asks for. */
import { HttpError } from '../errors.js';
import type { ChatProvider, ComposerTool } from './types.js';

/** The composer tools the providers honour, each once (the first provider's label wins). */
export const composerTools = (providers: readonly ChatProvider[]): ComposerTool[] => {
  const tools = new Map<string, ComposerTool>();
  for (const provider of providers) {
    for (const tool of provider.tools ?? []) {
      if (!tools.has(tool.id)) tools.set(tool.id, { id: tool.id, label: tool.label });
    }
  }
  return [...tools.values()];
};

/**
 * The configured providers and which models each serves. Asking for a model no configured
 * provider serves is a 503 `PROVIDER_NOT_CONFIGURED`: never a silent fallback to another model.
 */
export class ProviderRegistry {
  readonly #providers = new Map<string, ChatProvider>();
  readonly #default: string;

  constructor(providers: readonly ChatProvider[], defaultProvider: string) {
    for (const provider of providers) this.#providers.set(provider.name, provider);
    if (!this.#providers.has(defaultProvider)) {
      throw new Error(`The default provider "${defaultProvider}" is not configured.`);
    }
    this.#default = defaultProvider;
  }

  /** The names of the configured providers. */
  get names(): string[] {
    return [...this.#providers.keys()];
  }

  /** The configured providers. */
  get all(): ChatProvider[] {
    return [...this.#providers.values()];
  }

  /** A provider by name (`demo`, `openai`), or a 503 when it is not configured. */
  byName(name: string | undefined): ChatProvider {
    const provider = this.#providers.get(name ?? this.#default);
    if (!provider) {
      throw new HttpError(
        'PROVIDER_NOT_CONFIGURED',
        `The provider "${name}" is not configured on this server.`,
        {
          details: { provider: name, configured: this.names },
        },
      );
    }
    return provider;
  }

  /**
   * The provider for a model: `provider/model` names the provider explicitly; a bare model is served
   * by the provider whose default model it is, or by the default provider when no model is given.
   */
  forModel(model: string | null | undefined): ChatProvider {
    if (!model) return this.byName(undefined);
    const slash = model.indexOf('/');
    if (slash > 0) return this.byName(model.slice(0, slash));
    for (const provider of this.#providers.values()) {
      if (provider.defaultModel === model || provider.name === model) return provider;
    }
    const fallback = this.byName(undefined);
    if (fallback.name !== 'demo') return fallback;
    throw new HttpError('PROVIDER_NOT_CONFIGURED', `No configured provider serves the model "${model}".`, {
      details: { model, configured: this.names },
    });
  }
}
