/**
 * @module The agents this server can run (seed 000): each persona of the caller (seed 003), and each
 * configured chat provider with its model. `agent` on the chat doors names one of them.
 */
import type { AgentCapability, AgentInfo, AgentList, AgentStatus } from '@cartrita/contracts';
import type { AgentChoice } from '../chat/chat-service.js';
import { HttpError } from '../errors.js';
import type { PersonaService } from '../personas/persona-service.js';
import type { ProviderCalls } from '../providers/calls.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ChatProvider } from '../providers/types.js';

/** What {@link AgentService} reads. */
export interface AgentServiceDeps {
  personas: PersonaService;
  providers: ProviderRegistry;
  providerCalls: ProviderCalls;
  /** The provider a persona's turns go to when the request names none (the configured default). */
  defaultProvider: () => string;
}

const descriptions: Readonly<Record<string, string>> = {
  demo: 'The built-in offline provider: deterministic replies, widgets and tool calls, no key needed.',
  openai: 'OpenAI chat completions (or any OpenAI-compatible server) through the openai package.',
  huggingface: "Hugging Face's OpenAI-compatible router.",
};

const providerCapabilities = (provider: ChatProvider): AgentCapability[] => [
  'chat',
  'streaming',
  ...(provider.action ? (['widgets'] as const) : []),
];

/** The `provider/model` id of a provider's agent. */
const providerAgentId = (provider: ChatProvider): string => `${provider.name}/${provider.defaultModel}`;

/** Lists agents and resolves the one a chat request names. */
export class AgentService {
  readonly #deps: AgentServiceDeps;

  constructor(deps: AgentServiceDeps) {
    this.#deps = deps;
  }

  /** The provider a persona's turn would use, or the first configured one when the default is gone. */
  #personaProvider(): ChatProvider {
    const { providers } = this.#deps;
    try {
      return providers.byName(this.#deps.defaultProvider());
    } catch {
      return providers.byName(undefined);
    }
  }

  /**
   * Whether a provider can answer now: `unavailable` without its key, `rate_limited` while its
   * burst is spent (a read-only look at its budget), else `available`.
   */
  async #providerStatus(provider: ChatProvider): Promise<AgentStatus> {
    const { providerCalls } = this.#deps;
    if (!provider.offline && !providerCalls.configured(provider.name)) return 'unavailable';
    return (await providerCalls.rateLimited(provider.name)) ? 'rate_limited' : 'available';
  }

  #providerAgent(provider: ChatProvider, status: AgentStatus): AgentInfo {
    return {
      id: providerAgentId(provider),
      kind: 'provider',
      name: `${provider.name} ${provider.defaultModel}`,
      description: descriptions[provider.name] ?? `The ${provider.name} chat provider.`,
      capabilities: providerCapabilities(provider),
      provider: provider.name,
      model: provider.defaultModel,
      status,
    };
  }

  /** The caller's personas (oldest first), then each configured chat provider with its model. */
  async list(userId: string): Promise<AgentList> {
    const { personas } = await this.#deps.personas.list({}, userId);
    const provider = this.#personaProvider();
    const providers = this.#deps.providers.all;
    const statuses = new Map(
      await Promise.all(
        providers.map(async (entry) => [entry.name, await this.#providerStatus(entry)] as const),
      ),
    );
    const personaStatus = statuses.get(provider.name) ?? (await this.#providerStatus(provider));
    const agents: AgentInfo[] = [
      ...personas.map(
        (persona): AgentInfo => ({
          id: persona.id,
          kind: 'persona',
          name: persona.name,
          description: persona.description ?? '',
          capabilities: [...providerCapabilities(provider), 'persona'],
          provider: provider.name,
          model: provider.defaultModel,
          status: persona.is_active ? personaStatus : 'inactive',
        }),
      ),
      ...providers.map((entry) => this.#providerAgent(entry, statuses.get(entry.name) ?? 'available')),
    ];
    return { agents, total: agents.length };
  }

  /**
   * What an agent picks for a turn, when `agentId` names one: a configured provider named
   * `provider/model` or by its name (503 `PROVIDER_NOT_CONFIGURED` when it is not configured), or a
   * persona of the caller. Anything else names no agent: `undefined`.
   */
  async find(agentId: string, userId: string): Promise<AgentChoice | undefined> {
    const { providers } = this.#deps;
    const slash = agentId.indexOf('/');
    const providerName = slash > 0 ? agentId.slice(0, slash) : agentId;
    if (slash > 0 || providers.names.includes(providerName)) {
      const provider = providers.byName(providerName);
      const model = slash > 0 ? agentId.slice(slash + 1) : provider.defaultModel;
      return { provider: provider.name, model: model || provider.defaultModel };
    }
    try {
      const persona = await this.#deps.personas.stored(agentId, userId);
      return { personaId: persona.id };
    } catch (error) {
      if (error instanceof HttpError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** What the agent a chat request names picks for its turn (see {@link find}); naming none is a 404. */
  async resolve(agentId: string, userId: string): Promise<AgentChoice> {
    const choice = await this.find(agentId, userId);
    if (choice) return choice;
    throw new HttpError('NOT_FOUND', `No agent is named ${agentId} here; GET /api/agents lists them.`, {
      details: { agent: agentId },
    });
  }
}
