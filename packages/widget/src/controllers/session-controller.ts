/**
 * @module Bootstrapping: the client secret that authorises `/chatkit`, and its renewal before it
 * expires.
 */
import { ChatKitSession } from '@cartrita/contracts';
import { ChatKit } from '@cartrita/sdk/chatkit';
import { type FetchLike, Transport } from '@cartrita/sdk/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Time to response headers when creating a session (seed 002). */
export const SESSION_TIMEOUT_MS = 5_000;
/** Retries of the session request after the first attempt, with exponential backoff (seed 002). */
export const SESSION_RETRIES = 3;
/** Time to response headers of every `/chatkit` request (seed 002). */
export const CHAT_TIMEOUT_MS = 30_000;

/** What the server allows, from the session answer. */
export interface SessionCapabilities {
  /** Whether `input.transcribe` has a voice provider behind it. */
  transcription: boolean;
  /** Upload limits; `accept` holds MIME types and patterns such as `image/*`. */
  attachments: { max_bytes: number; accept: string[] };
  /** The models a message may ask for. */
  models?: Array<{ id: string; label: string; default?: boolean | undefined }> | undefined;
  /** The composer tools a message may pick. */
  tools?: Array<{ id: string; label: string }> | undefined;
}

/**
 * A page's own source of client secrets, for sites whose backend mints them: return the secret, or
 * the whole session answer (then its `expires_at` and `capabilities` are used too). `force` is true
 * when the server rejected the previous secret.
 */
export type ClientSecretHook = (context: {
  force: boolean;
}) => string | Partial<ChatKitSession> | Promise<string | Partial<ChatKitSession>>;

/** Where and how the controller gets sessions. Read anew on every connection. */
export interface SessionSettings {
  /** The Cartrita server's base URL. */
  apiUrl: string;
  /** Overrides `POST {apiUrl}/api/chatkit/session`, for a page whose backend proxies it. */
  sessionUrl?: string | undefined;
  /** Replaces the session request entirely. */
  getClientSecret?: ClientSecretHook | undefined;
  /** Replaces `fetch` for every request (instrumentation, a proxy, tests). */
  fetch?: FetchLike | undefined;
}

/** Options of {@link SessionController}. */
export interface SessionControllerOptions {
  /** The current settings. */
  settings: () => SessionSettings;
  /** Called each time a connection succeeds. */
  onReady?: ((session: SessionController) => void) | undefined;
  /** Called when a connection failed after its retries. */
  onError?: ((error: unknown) => void) | undefined;
}

type Status = 'idle' | 'connecting' | 'ready' | 'error';

/**
 * Creates the session (5 s to headers, 3 retries with exponential backoff, by the SDK's retries),
 * hands out the SDK's `ChatKit` client, whose every request carries a valid secret, and renews the secret
 * shortly before `expires_at`. When the retries are exhausted the status is `error` and the view
 * offers a manual retry (`connect()` again). Work stops when the host disconnects.
 */
export class SessionController implements ReactiveController {
  /** Where the connection stands. */
  status: Status = 'idle';
  /** Why the last connection failed. */
  error: unknown;
  /** The last session answer. */
  session: Partial<ChatKitSession> | undefined;
  /** The client for `/chatkit`, once connected. */
  client: ChatKit | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: SessionControllerOptions;
  #life = new AbortController();
  #minting: Promise<string> | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #settings: SessionSettings | undefined;

  constructor(host: ReactiveControllerHost, options: SessionControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The server's capabilities; undefined when the page mints secrets without them. */
  get capabilities(): SessionCapabilities | undefined {
    return this.session?.capabilities;
  }

  hostConnected(): void {
    if (this.#life.signal.aborted) this.#life = new AbortController();
  }

  hostDisconnected(): void {
    this.#life.abort();
    clearTimeout(this.#refreshTimer);
    this.#minting = undefined;
  }

  /**
   * Connects: creates a session and the chat client. Resolves once ready or failed (see `status`);
   * never rejects. Calling it again after a failure is the manual retry.
   */
  async connect(signal?: AbortSignal): Promise<void> {
    const settings = this.#options.settings();
    this.#settings = settings;
    this.status = 'connecting';
    this.error = undefined;
    this.#minting = undefined;
    this.#host.requestUpdate();
    try {
      await this.secret(true, signal);
      // Only the ChatKit resource is built, over its own transport, rather than a whole
      // `CartritaClient`: the widget needs nothing else, and the script-tag bundle then carries nothing else.
      this.client = new ChatKit(
        new Transport({
          baseURL: settings.apiUrl,
          timeout: CHAT_TIMEOUT_MS,
          getAuthToken: ({ force }) => this.secret(force),
          fetch: settings.fetch,
        }),
      );
      this.status = 'ready';
      this.#options.onReady?.(this);
    } catch (error) {
      // Unless the host went away meanwhile.
      if (!this.#life.signal.aborted) {
        this.status = 'error';
        this.error = error;
        this.#options.onError?.(error);
      }
    }
    this.#host.requestUpdate();
  }

  /**
   * A valid client secret: the current one, or a new one when `force` is set, when there is none, or
   * when it expires within the renewal margin. Concurrent callers share one request.
   */
  async secret(force = false, signal?: AbortSignal): Promise<string> {
    const current = this.session?.client_secret;
    // Renewed when it expires within 5 s (an unknown expiry never does).
    if (!force && current && !(this.#timeLeft() < 5_000)) return current;
    this.#minting ??= this.#mint(signal).finally(() => {
      this.#minting = undefined;
    });
    return this.#minting;
  }

  /** Milliseconds until the secret expires; `NaN` when the session does not say. */
  #timeLeft(): number {
    return Date.parse(this.session?.expires_at ?? '') - Date.now();
  }

  async #mint(signal?: AbortSignal): Promise<string> {
    const settings = this.#settings ?? this.#options.settings();
    let session: Partial<ChatKitSession>;
    if (settings.getClientSecret) {
      const answer = await settings.getClientSecret({ force: this.session !== undefined });
      session = typeof answer === 'string' ? { client_secret: answer } : answer;
    } else {
      const transport = new Transport({ baseURL: settings.apiUrl, fetch: settings.fetch });
      const call = {
        timeout: SESSION_TIMEOUT_MS,
        maxRetries: SESSION_RETRIES,
        signal: signal ? AbortSignal.any([signal, this.#life.signal]) : this.#life.signal,
      };
      // The page's own session endpoint takes the same request as the server's.
      session = settings.sessionUrl
        ? await transport.request({
            method: 'POST',
            path: new URL(settings.sessionUrl, settings.apiUrl).href,
            body: {},
            schema: ChatKitSession,
            ...call,
          })
        : await new ChatKit(transport).createSession({}, call);
    }
    if (!session.client_secret) throw new TypeError('The session has no client secret.');
    this.session = session;
    // Renews the secret a little before it expires: 10 % of its lifetime, at most a minute, early. Past
    // what setTimeout can count, or without an expiry (`delay` is then NaN), it is renewed on demand.
    clearTimeout(this.#refreshTimer);
    const left = this.#timeLeft();
    const delay = Math.max(left - Math.min(60_000, left / 10), 1_000);
    if (delay <= 2_000_000_000 && !this.#life.signal.aborted) {
      this.#refreshTimer = setTimeout(() => {
        this.secret(true).catch(() => {
          // A failed renewal keeps the old secret; the next request asks again.
        });
      }, delay);
    }
    return session.client_secret;
  }
}
