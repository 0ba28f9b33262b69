import { type ClientOptions, createTransport } from './core/create-client.js';
import type { Transport } from './core/request.js';
import { Realtime } from './realtime/realtime.js';
import { Agents } from './resources/agents.js';
import { Chat } from './resources/chat.js';
import { ChatKit } from './resources/chatkit.js';
import type { Commands } from './resources/commands.js';
import { ComputerUse } from './resources/computer-use.js';
import { Conversations } from './resources/conversations.js';
import { Engines } from './resources/engines.js';
import type { Events } from './resources/events.js';
import { Files } from './resources/files.js';
import { GitHub } from './resources/github.js';
import type { Handlers } from './resources/handlers.js';
import { Health } from './resources/health.js';
import { HuggingFace } from './resources/huggingface.js';
import { Memory } from './resources/memory.js';
import { Messages } from './resources/messages.js';
import { Modules } from './resources/modules.js';
import { Observability } from './resources/observability.js';
import { Personas } from './resources/personas.js';
import { Search } from './resources/search.js';
import { Sessions } from './resources/sessions.js';
import { Studio } from './resources/studio.js';
import { StudioConfig } from './resources/studio-config.js';
import { System } from './resources/system.js';
import { Templates } from './resources/templates.js';
import type { Tools } from './resources/tools.js';
import { Voice } from './resources/voice.js';

/**
 * The Cartrita API client with every resource: one per URL area, each method typed by the route table.
 * To bundle only some of them, see `createClient` in `@cartrita/sdk/core`.
 *
 * @example
 * ```ts
 * import { CartritaClient } from '@cartrita/sdk';
 * const client = new CartritaClient({ baseURL: 'http://127.0.0.1:8000' });
 * const { client_secret } = await client.chatkit.createSession();
 * ```
 */
export class CartritaClient {
  /** The transport every resource sends through (retries, timeouts, auth). */
  readonly transport: Transport;
  /** `GET /health`. */
  readonly health: Health;
  /** `/api/health`, `/api/status`, `/api/config` and `/api/shutdown`. */
  readonly system: System;
  /** `POST /api/chatkit/session` and `POST /chatkit`. */
  readonly chatkit: ChatKit;
  /** `/api/chat`: one reply as JSON, or a stream that resumes by itself after a dropped connection. */
  readonly chat: Chat;
  /** `/chat/` of seed 004: the same engine, with `session_id` for the conversation. */
  readonly studio: Studio;
  /** `/api/observability/*` and `/metrics`: logs, metrics and traces (an API key's `observability` scope). */
  readonly observability: Observability;
  /** `/ws/chat`: chat over a WebSocket with cancellation, reconnects and a send queue. */
  readonly realtime: Realtime;
  /** `/api/sessions` (seed 001), with the session's areas under it: `client.sessions.commands`, ... */
  readonly sessions: Sessions;
  /** A session's commands; the same instance as `client.sessions.commands`. */
  readonly commands: Commands;
  /** A session's events and their live stream; the same instance as `client.sessions.events`. */
  readonly events: Events;
  /** A session's tools; the same instance as `client.sessions.tools`. */
  readonly tools: Tools;
  /** A session's command and event handlers; the same instance as `client.sessions.handlers`. */
  readonly handlers: Handlers;
  /** `/api/engines` (seed 001). */
  readonly engines: Engines;
  /** `/api/conversations` (seed 003): ChatKit threads with seed 003's fields. */
  readonly conversations: Conversations;
  /** `/api/messages` (seed 003): a conversation's items. */
  readonly messages: Messages;
  /** `/memory/` of seed 004: the caller's profile entries, facts and past exchanges. */
  readonly memory: Memory;
  /** `/config/` of seed 004: the agent studio's configuration sections (not the server's `/api/config`). */
  readonly config: StudioConfig;
  /** The same as {@link CartritaClient.config}, under the name of its class. */
  readonly studioConfig: StudioConfig;
  /** `/files` (seed 004): uploads processed into searchable text. */
  readonly files: Files;
  /** `/api/search` (seed 000): the web, or your files offline (`provider: 'local'`). */
  readonly search: Search;
  /** `/api/github/...` (seed 000): GitHub's repositories, issues, pull requests and search, read-only. */
  readonly github: GitHub;
  /** `/api/huggingface/inference` (seed 000): a task on a Hugging Face model. */
  readonly huggingface: HuggingFace;
  /** `/api/computer-use` (seed 000): computer-use runs your code executes. */
  readonly computerUse: ComputerUse;
  /** `/api/agents` (seed 000): your personas and the server's providers, for `agent` on the chat doors. */
  readonly agents: Agents;
  /** `/api/voice/process` (seed 000): recorded speech to text. */
  readonly voice: Voice;
  /** `/api/personas`, `/api/modules` and `/api/templates` (seed 003). */
  readonly personas: Personas;
  readonly modules: Modules;
  readonly templates: Templates;

  constructor(options: ClientOptions = {}) {
    this.transport = createTransport(options);
    this.health = new Health(this.transport);
    this.system = new System(this.transport);
    this.chatkit = new ChatKit(this.transport);
    this.chat = new Chat(this.transport);
    this.studio = new Studio(this.transport);
    this.observability = new Observability(this.transport);
    this.realtime = new Realtime(this.transport);
    this.sessions = new Sessions(this.transport);
    this.commands = this.sessions.commands;
    this.events = this.sessions.events;
    this.tools = this.sessions.tools;
    this.handlers = this.sessions.handlers;
    this.engines = new Engines(this.transport);
    this.conversations = new Conversations(this.transport);
    this.messages = new Messages(this.transport);
    this.memory = new Memory(this.transport);
    this.config = new StudioConfig(this.transport);
    this.studioConfig = this.config;
    this.files = new Files(this.transport);
    this.search = new Search(this.transport);
    this.github = new GitHub(this.transport);
    this.huggingface = new HuggingFace(this.transport);
    this.computerUse = new ComputerUse(this.transport);
    this.voice = new Voice(this.transport);
    this.personas = new Personas(this.transport);
    this.modules = new Modules(this.transport);
    this.templates = new Templates(this.transport);
    this.agents = new Agents(this.transport);
  }
}
