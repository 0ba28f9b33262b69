import type { Action, Attachment, StructuredInputItem, ThreadItem } from '@cartrita/contracts';
import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { AttachmentsController, type Upload } from '../../controllers/attachments-controller.js';
import { ChatController, type MessageTag, type Notice } from '../../controllers/chat-controller.js';
import { HistoryController } from '../../controllers/history-controller.js';
import { SessionController } from '../../controllers/session-controller.js';
import type { ThreadMeta } from '../../controllers/thread-model.js';
import { canRecord, VoiceController } from '../../controllers/voice-controller.js';
import { CartritaErrorEvent } from '../../events/error.js';
import { CartritaHistoryToggleEvent } from '../../events/history-toggle.js';
import { CartritaMessageSendEvent } from '../../events/message-send.js';
import { CartritaReadyEvent } from '../../events/ready.js';
import { CartritaToggleEvent } from '../../events/toggle.js';
import { CartritaToolChangeEvent } from '../../events/tool-change.js';
import { en, format, type Strings } from '../../locales/en.js';
import { directionOf, loadStrings, pickLocale } from '../../locales/index.js';
import type { MarkdownOptions } from '../../markdown/index.js';
import { styles } from './cartrita-chat.styles.js';
import { commandsMenu, type OpenMenu } from './commands-loader.js';
import { loadEntities } from './entities-loader.js';
import { iconButton } from './icon-button.js';
import { icons } from './icons.js';
import { markdown } from './markdown-directive.js';
import type { CartritaChatOptions, ComposerModel, ComposerTool } from './options.js';
import { type ItemContext, renderItem } from './render-items.js';

const formatBytes = (bytes: number | undefined): string =>
  bytes === undefined
    ? ''
    : bytes >= 1048576
      ? `${Math.round(bytes / 104857.6) / 10} MB`
      : `${Math.ceil(bytes / 1024)} KB`;

/**
 * An embeddable AI chat that speaks the ChatKit protocol to a Cartrita server: streaming markdown
 * replies, stop and retry, thread history, attachments with upload progress, dictation, client
 * tools, widgets and forms. Inline by default; `launcher` turns it into a floating button that opens
 * a panel.
 *
 * @summary A drop-in, accessible, themeable chat for a Cartrita (ChatKit) server.
 * @tagname cartrita-chat
 *
 * @attr api-url - The Cartrita server's base URL. Default: where the script came from, else the page's origin.
 * @attr session-url - Where to create sessions instead of `{api-url}/api/chatkit/session`.
 * @attr theme - `light`, `dark` or `auto` (follows the system; the default).
 * @attr lang - The language of the widget's strings; default the page's `<html lang>`, then the browser's.
 * @attr launcher - Shows a floating button that opens the chat in a panel.
 * @attr open - Whether the launcher panel is open.
 * @attr header-title - The header's title.
 * @attr greeting - The start screen's greeting.
 * @attr placeholder - The composer's placeholder.
 * @attr allowed-image-origins - Space-separated origins images may load from (the API's origin always may).
 * @attr initial-thread - The id of the thread to show first.
 * @attr no-history - Hides the thread history.
 * @attr no-attachments - Hides attachments.
 * @attr no-dictation - Hides dictation even when the server can transcribe.
 *
 * @event cartrita-ready - The session is ready. `detail: {sessionId}`.
 * @event cartrita-message-send - A message is about to be sent; cancelable. `detail: {text, attachments}`.
 * @event cartrita-response-start - A streamed answer starts. `detail: {threadId}`.
 * @event cartrita-response-end - A streamed answer ended. `detail: {threadId, stopped, error}`.
 * @event cartrita-thread-change - Another thread is shown. `detail: {threadId}` (`null` for a new one).
 * @event cartrita-error - Something failed. `detail: {error, message}`.
 * @event cartrita-effect - A `client_effect` from the server. `detail: {name, data}`.
 * @event cartrita-tool-call - The assistant called a client tool. `detail: {name, params, callId}`.
 * @event cartrita-action - A widget button with a client action was pressed. `detail: {action, itemId}`.
 * @event cartrita-toggle - The launcher panel opened or closed. `detail: {open}`.
 * @event cartrita-tool-change - The user picked a composer tool, or none. `detail: {toolId}`.
 * @event cartrita-history-toggle - The thread history opened or closed. `detail: {open}`.
 * @event cartrita-deeplink - A `chatkit-link://` link in a message was clicked. `detail: {name, data?}`.
 * @event cartrita-thread-load-start - A thread starts loading. `detail: {threadId}`.
 * @event cartrita-thread-load-end - A thread has loaded (or failed to). `detail: {threadId, error}`.
 * @event cartrita-log - A diagnostic record (`message.send`, `action.send`, `tool.output`, `thread.load`, `stream.error`). `detail: {name, data}`.
 *
 * @csspart launcher - The floating button of launcher mode.
 * @csspart panel - The chat panel.
 * @csspart header - The header bar.
 * @csspart title - The header's title.
 * @csspart header-button - The header's buttons (history, new conversation, close).
 * @csspart history - The thread history list.
 * @csspart history-item - One thread of the history.
 * @csspart notice - A notice banner.
 * @csspart messages - The message list (`role="log"`).
 * @csspart start - The start screen.
 * @csspart greeting - The start screen's greeting.
 * @csspart prompt - A start screen prompt button.
 * @csspart item - Every thread item; also `user-message`, `assistant-message`, `tool-call`, `widget`, `workflow`, `structured-input`, `task`, `image`.
 * @csspart bubble - The user's message bubble.
 * @csspart markdown - Rendered assistant text.
 * @csspart sources - The citations of an answer.
 * @csspart source-link - A URL source of an answer.
 * @csspart source-entity - An entity source of an answer (a button when the page handles entities).
 * @csspart entity-preview - The preview `entities.onRequestPreview` answered, over its entity.
 * @csspart message-actions - Copy, feedback and retry under an answer.
 * @csspart action-button - One of those buttons.
 * @csspart stopped - The "stopped" mark on an answer the user stopped.
 * @csspart incomplete - The "incomplete" mark on an answer cut off by a failure (a lost connection).
 * @csspart widget-card - A widget card.
 * @csspart widget-button - A widget button.
 * @csspart form - A structured input form.
 * @csspart status - The connection or progress line.
 * @csspart progress - Progress text while the assistant works.
 * @csspart error - An error message.
 * @csspart retry-button - The button that retries after an error.
 * @csspart composer - The message form.
 * @csspart input - The message text area.
 * @csspart attachments - The files attached to the next message.
 * @csspart attachment - One attached file.
 * @csspart attachment-progress - An upload's progress bar.
 * @csspart attach-button - The button that picks files.
 * @csspart voice-button - The dictation button.
 * @csspart send-button - The send button.
 * @csspart commands - The "/" commands menu; `command` is one of its entries.
 * @csspart tool-picker - The composer's tools menu.
 * @csspart model-picker - The composer's model picker.
 * @csspart stop-button - The stop button.
 *
 * @cssproperty --cartrita-accent - Accent color: buttons, links, focus. Default `#2456d3` (dark `#7aa7ff`).
 * @cssproperty --cartrita-accent-foreground - Text on the accent color.
 * @cssproperty --cartrita-background - Panel background.
 * @cssproperty --cartrita-foreground - Text color.
 * @cssproperty --cartrita-surface - Secondary background: chips, notices, hovers.
 * @cssproperty --cartrita-muted - Secondary text.
 * @cssproperty --cartrita-border - Borders.
 * @cssproperty --cartrita-user-background - The user's bubbles. Default the accent.
 * @cssproperty --cartrita-user-foreground - Text in the user's bubbles.
 * @cssproperty --cartrita-danger - Errors.
 * @cssproperty --cartrita-focus-ring - Focus outline. Default the accent.
 * @cssproperty --cartrita-radius - Corner radius. Default `12px`.
 * @cssproperty --cartrita-font-family - Font family. Default `system-ui, sans-serif`.
 * @cssproperty --cartrita-font-family-mono - Code font.
 * @cssproperty --cartrita-font-size - Base font size. Default `15px`.
 * @cssproperty --cartrita-code-background - Code background.
 * @cssproperty --cartrita-max-height - Inline mode: the message list's height before it scrolls. Default `36rem`.
 * @cssproperty --cartrita-panel-width - Launcher panel width. Default `24rem`.
 * @cssproperty --cartrita-panel-height - Launcher panel height. Default `38rem`.
 * @cssproperty --cartrita-launcher-size - Launcher button size. Default `3.5rem`.
 * @cssproperty --cartrita-shadow - Launcher panel shadow.
 * @cssproperty --cartrita-z-index - Launcher stacking order.
 */
export class CartritaChat extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    apiUrl: { attribute: 'api-url' },
    sessionUrl: { attribute: 'session-url' },
    theme: { reflect: true },
    launcher: { type: Boolean, reflect: true },
    isOpen: { type: Boolean, reflect: true, attribute: 'open' },
    headerTitle: { attribute: 'header-title' },
    greeting: {},
    placeholder: {},
    allowedImageOrigins: { attribute: 'allowed-image-origins' },
    initialThread: { attribute: 'initial-thread' },
    noHistory: { type: Boolean, attribute: 'no-history' },
    noAttachments: { type: Boolean, attribute: 'no-attachments' },
    noDictation: { type: Boolean, attribute: 'no-dictation' },
    options: { attribute: false },
  };

  /**
   * The API URL used when neither `api-url` nor `options.apiUrl` is set; the script-tag build sets it
   * to the origin the script was loaded from.
   */
  static defaultApiUrl: string | undefined;

  /**
   * The session: secret, renewal, capabilities.
   *
   * @internal Not part of the public API; its `client` is the SDK client, which the script-tag build
   * trims to the methods the widget calls.
   */
  readonly session = new SessionController(this, {
    settings: () => ({
      apiUrl: this.#apiUrl(),
      sessionUrl: this.options.sessionUrl ?? this.sessionUrl ?? undefined,
      getClientSecret: this.options.getClientSecret,
      fetch: this.options.fetch,
    }),
    onReady: (session) => this.#handleReady(session.session?.session_id),
    onError: (error) =>
      this.dispatchEvent(new CartritaErrorEvent({ error, message: this.#strings.connectError })),
  });
  /**
   * The conversation.
   *
   * @internal Not part of the public API.
   */
  readonly chat = new ChatController(this, {
    client: () => this.session.client,
    onClientTool: () => this.options.onClientTool,
    target: this,
  });
  /**
   * The thread history.
   *
   * @internal Not part of the public API.
   */
  readonly history = new HistoryController(this, () => this.session.client);
  /**
   * Attachments of the next message.
   *
   * @internal Not part of the public API.
   */
  readonly attachments = new AttachmentsController(this, {
    client: () => this.session.client,
    limits: () => {
      const own = this.options.attachments || {};
      const server = this.session.capabilities?.attachments;
      return {
        maxBytes: own.maxBytes ?? server?.max_bytes,
        accept: own.accept ?? server?.accept,
        maxCount: own.maxCount ?? 10,
      };
    },
    uploadUrl: () => (this.options.attachments || undefined)?.uploadUrl,
  });
  /**
   * Dictation.
   *
   * @internal Not part of the public API.
   */
  readonly voice = new VoiceController(
    this,
    () => this.session.client,
    (text) => {
      this.#draft = this.#draft ? `${this.#draft} ${text}` : text;
      this.requestUpdate();
      this.focusComposer();
    },
  );

  declare apiUrl: string | undefined;
  declare sessionUrl: string | undefined;
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  declare launcher: boolean;
  declare isOpen: boolean;
  declare headerTitle: string | undefined;
  declare greeting: string | undefined;
  declare placeholder: string | undefined;
  declare allowedImageOrigins: string | undefined;
  declare initialThread: string | undefined;
  declare noHistory: boolean;
  declare noAttachments: boolean;
  declare noDictation: boolean;
  /** Configuration as an object; see {@link CartritaChatOptions}. Its fields win over attributes. */
  declare options: CartritaChatOptions;

  #strings: Strings = en;
  #locale = 'en';
  #draft = '';
  /** The active entry of the "/" menu, and whether Escape closed it for this draft. */
  #commandIndex = 0;
  #menuClosed = false;
  /** Entities found for the "@" being typed, and those tagged for the next message. */
  #found: MessageTag[] = [];
  #tags: MessageTag[] = [];
  /** The composer tool and the model the user picked. */
  #tool: string | undefined;
  #model: string | undefined;
  #announcement = '';
  #historyOpen = false;
  #historyLoaded = false;
  #renaming: string | undefined;
  #copied: string | undefined;
  #dragging = false;
  #stick = true;
  #sessionKey: string | undefined;
  #markdownOptions: MarkdownOptions | undefined;

  constructor() {
    super();
    this.launcher = false;
    this.isOpen = false;
    this.noHistory = false;
    this.noAttachments = false;
    this.noDictation = false;
    this.options = {};
    this.addEventListener('cartrita-response-end', (event) => void this.#handleResponseEnd(event.detail));
    this.addEventListener('cartrita-thread-change', () => {
      this.#stick = true;
      this.requestUpdate();
    });
  }

  static override get observedAttributes(): string[] {
    // `super` keeps `this` bound to this class, so Lit lists this class's attributes, not LitElement's.
    // biome-ignore lint/complexity/noThisInStatic: see above.
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.#applyLocale();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#applyLocale();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#sessionKey = undefined;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('options')) {
      this.#applyLocale();
      this.#markdownOptions = undefined;
    }
    if (changed.has('allowedImageOrigins') || changed.has('apiUrl')) this.#markdownOptions = undefined;
  }

  override updated(): void {
    const settings = this.session;
    const key = `${this.#apiUrl()} ${this.options.sessionUrl ?? this.sessionUrl ?? ''} ${!!this.options.getClientSecret}`;
    if (this.#sessionKey !== key) {
      this.#sessionKey = key;
      void settings.connect();
    }
    const log = this.renderRoot.querySelector('.log');
    if (log && this.#stick) log.scrollTop = log.scrollHeight;
  }

  #handleReady(sessionId: string | undefined): void {
    this.dispatchEvent(new CartritaReadyEvent({ sessionId }));
    const initial = this.options.initialThread ?? this.initialThread;
    if (initial && !this.chat.threadId) void this.chat.open(initial);
    if (this.#historyOpen) void this.history.load();
  }

  async #handleResponseEnd(detail: { stopped: boolean; error: boolean }): Promise<void> {
    const thread = this.chat.model.thread;
    if (thread && this.#historyLoaded) this.history.upsert(thread);
    await this.updateComplete;
    const s = this.#strings;
    let text = '';
    if (detail.error) text = this.chat.error?.message ?? s.error;
    else {
      const last = this.chat.model.items.findLast((item) => item.type === 'assistant_message');
      const node = last && this.renderRoot.querySelector(`[data-item-id="${CSS.escape(last.id)}"]`);
      text = node
        ? `${s.assistant}: ${[...node.querySelectorAll('.md')].map((md) => md.textContent).join(' ')}`
        : '';
      if (detail.stopped) text = `${text} (${s.stopped})`;
    }
    this.#announcement = text.trim();
    this.requestUpdate();
  }

  #handleSubmit = (event: Event): void => {
    event.preventDefault();
    if (this.#draft.trim() || this.attachments.uploads.length) this.sendMessage(this.#draft.trim());
  };

  #handleComposerKeydown = (event: KeyboardEvent): void => {
    const menu = this.#menu();
    const step = menu && !event.isComposing ? menu.key(event.key) : undefined;
    if (menu && step) {
      event.preventDefault();
      event.stopPropagation();
      const entry = menu.matches[Math.min(this.#commandIndex, menu.matches.length - 1)];
      if (step === 'pick' && this.#found.length)
        this.#pickTag(this.#found.find((tag) => tag.text === entry?.name));
      else if (step === 'pick') this.#pickCommand(entry);
      else if (step === 'close') this.#menuClosed = true;
      else this.#commandIndex = step.move;
      this.requestUpdate();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    // A held key repeats: only the first press sends.
    if (!event.repeat) this.#handleSubmit(event);
  };

  #handleInput = (event: Event): void => {
    this.#draft = (event.target as HTMLTextAreaElement).value;
    this.#commandIndex = 0;
    this.#menuClosed = false;
    this.#found = [];
    const search = this.options.entities?.onTagSearch;
    const query = /(?:^|\s)@(\S*)$/.exec(this.#draft)?.[1];
    if (search && query !== undefined) {
      const draft = this.#draft;
      void Promise.resolve(search(query)).then((found) => {
        // Only the answer for what is still typed counts.
        if (this.#draft === draft) this.#found = found;
        this.requestUpdate();
      });
    }
    this.requestUpdate();
  };

  /** The "/" menu, while the draft is a "/" and the start of a command name. */
  #menu(): OpenMenu | undefined {
    if (this.#menuClosed) return undefined;
    const refresh = () => this.requestUpdate();
    if (this.#found.length)
      return commandsMenu(
        this.#draft,
        this.#found.map((tag) => ({ name: tag.text, description: tag.group ?? undefined })),
        '',
        this.#commandIndex,
        this.#strings.commands,
        this.renderRoot,
        (entry) => this.#pickTag(this.#found.find((tag) => tag.text === entry.name)),
        refresh,
      );
    const commands = this.options.commands;
    if (!commands?.length || !/^\/\S*$/.test(this.#draft)) return undefined;
    return commandsMenu(
      this.#draft,
      commands,
      '/',
      this.#commandIndex,
      this.#strings.commands,
      this.renderRoot,
      (command) => this.#pickCommand(command),
      refresh,
    );
  }

  /** Tags an entity for the next message, in place of the "@" typed. */
  #pickTag(tag: MessageTag | undefined): void {
    if (!tag) return;
    this.#tags = [...this.#tags, tag];
    this.#found = [];
    this.#draft = this.#draft.replace(/@\S*$/, '');
    this.requestUpdate();
    this.focusComposer();
  }

  #pickCommand(command: { name: string } | undefined): void {
    if (!command) return;
    this.#draft = `/${command.name} `;
    this.requestUpdate();
    this.focusComposer();
  }

  #handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    if (this.chat.busy && this.chat.allowCancel) this.stop();
    else if (this.#renaming) this.#renaming = undefined;
    else if (this.#historyOpen) this.#toggleHistory();
    else if (this.launcher && this.isOpen) this.close();
    else return;
    event.stopPropagation();
    this.requestUpdate();
  };

  /** A `chatkit-link://` link in a message was clicked: the page hears what it names. */
  #handleDeeplink = (event: Event): void => {
    const link = (event.target as Element).closest?.('[data-deeplink]')?.getAttribute('data-deeplink');
    if (link) void loadEntities().then((part) => this.dispatchEvent(part.deepLinkEvent(link)));
  };

  #handleScroll = (event: Event): void => {
    const log = event.currentTarget as HTMLElement;
    this.#stick = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  };

  #handleDrag = (event: DragEvent): void => {
    if (!this.#attachmentsEnabled() || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    const dragging = event.type === 'dragover';
    if (event.type === 'drop') this.attachments.add(event.dataTransfer.files);
    if (dragging !== this.#dragging) {
      this.#dragging = dragging;
      this.requestUpdate();
    }
  };

  #handlePaste = (event: ClipboardEvent): void => {
    const files = event.clipboardData?.files;
    if (files?.length && this.#attachmentsEnabled()) {
      event.preventDefault();
      this.attachments.add(files);
    }
  };

  #handleFiles = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    if (input.files) this.attachments.add(input.files);
    input.value = '';
  };

  #toggleHistory = (): void => this.#setHistoryOpen(!this.#historyOpen);

  #setHistoryOpen(open: boolean): void {
    if (this.#historyOpen === open) return;
    this.#historyOpen = open;
    if (open && !this.history.loading) {
      this.#historyLoaded = true;
      void this.history.load();
    }
    this.dispatchEvent(new CartritaHistoryToggleEvent({ open }));
    this.requestUpdate();
  }

  #toggle = (): void => (this.isOpen ? this.close() : this.open());

  #apiUrl(): string {
    const url = this.options.apiUrl ?? this.apiUrl ?? CartritaChat.defaultApiUrl;
    if (url) return url;
    return typeof location === 'undefined' ? 'http://127.0.0.1:8000' : location.origin;
  }

  #applyLocale(): void {
    if (typeof document === 'undefined') return;
    const code = pickLocale([
      this.options?.lang,
      this.getAttribute('lang'),
      document.documentElement.lang,
      ...(globalThis.navigator?.languages ?? []),
    ]);
    const extra = this.options?.strings;
    this.#locale = code;
    void loadStrings(code).then((strings) => {
      if (this.#locale !== code) return;
      this.#strings = { ...strings, ...extra };
      this.#markdownOptions = undefined;
      this.requestUpdate();
    });
  }

  #attachmentsEnabled(): boolean {
    return this.options.attachments !== false && !this.noAttachments;
  }

  #imageOrigins(): string[] {
    const listed = this.options.allowedImageOrigins ?? this.allowedImageOrigins?.split(/\s+/) ?? [];
    let api: string[] = [];
    try {
      api = [new URL(this.#apiUrl()).origin];
    } catch {
      // An API URL that does not parse allows no extra origin.
    }
    return [...api, ...listed.filter(Boolean)];
  }

  #isAllowedImage = (url: string): boolean => {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
      const domains = this.chat.model.thread?.allowed_image_domains ?? [];
      return this.#imageOrigins().includes(parsed.origin) || domains.includes(parsed.hostname);
    } catch {
      return false;
    }
  };

  #markdown = (text: string, done: boolean): unknown => {
    this.#markdownOptions ??= {
      allowedImageOrigins: this.#imageOrigins(),
      strings: {
        copy: this.#strings.copy,
        copied: this.#strings.copied,
        code: this.#strings.code,
        task: this.#strings.task,
      },
    };
    return markdown(text, done, this.#markdownOptions);
  };

  #copy = async (item: ThreadItem): Promise<void> => {
    const text =
      item.type === 'assistant_message'
        ? item.content.map((part) => part.text).join('\n\n')
        : item.type === 'widget'
          ? (item.copy_text ?? '')
          : '';
    try {
      await navigator.clipboard.writeText(text);
      this.#copied = item.id;
      this.requestUpdate();
      setTimeout(() => {
        this.#copied = undefined;
        this.requestUpdate();
      }, 2000);
    } catch {
      // Clipboard access refused: nothing to show.
    }
  };

  #answer = (item: StructuredInputItem, form: HTMLFormElement | null, skipped: boolean): void => {
    const data = form ? new FormData(form) : undefined;
    const answers: Record<string, { values: string[]; skipped: boolean }> = {};
    for (const question of item.inputs) {
      const values = skipped
        ? []
        : (data?.getAll(question.id) ?? []).map((value) => String(value).trim()).filter(Boolean);
      answers[question.id] = { values, skipped: values.length === 0 };
    }
    this.chat.answer(item.id, answers, skipped);
  };

  async #rename(event: SubmitEvent, thread: ThreadMeta): Promise<void> {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget as HTMLFormElement).get('title') ?? '').trim();
    this.#renaming = undefined;
    if (title && title !== thread.title && (await this.history.rename(thread.id, title))) {
      if (this.chat.model.thread?.id === thread.id)
        this.chat.model.thread = { ...this.chat.model.thread, title };
    }
    this.requestUpdate();
  }

  async #delete(thread: ThreadMeta): Promise<void> {
    if ((await this.history.remove(thread.id)) && this.chat.threadId === thread.id)
      await this.setThread(null);
  }

  /**
   * Sends a message as if the user typed it, with the files already attached. Returns false when
   * nothing was sent: a reply is still streaming, the session is not ready, an upload is running,
   * or a `cartrita-message-send` listener cancelled it.
   */
  sendMessage(text: string): boolean {
    return this.#send(text, {});
  }

  #send(
    text: string,
    extra: Pick<
      Parameters<CartritaChat['sendUserMessage']>[0],
      'attachments' | 'tags' | 'model' | 'toolChoice'
    >,
  ): boolean {
    const { chat, attachments } = this;
    if (chat.locked || this.session.status !== 'ready' || !attachments.settled) return false;
    const files = [...attachments.finished, ...(extra.attachments ?? [])];
    const event = new CartritaMessageSendEvent({ text, attachments: files.map((a) => a.id) });
    if (!this.dispatchEvent(event)) return false;
    const models = this.#models();
    const tool = this.#tools().find((t) => t.id === (extra.toolChoice ?? this.#tool));
    const options = {
      ...extra,
      tags: extra.tags ?? this.#tags,
      // A model is named only when the user has a choice; otherwise the server picks its default.
      model: extra.model ?? (models.length > 1 ? this.#currentModel(models) : undefined),
      toolChoice: extra.toolChoice ?? this.#tool,
    };
    if (!chat.send(text, files, options)) return false;
    if (!extra.tags) this.#tags = [];
    if (this.#tool && !(tool as ComposerTool | undefined)?.persistent) this.#pickTool('');
    attachments.take();
    this.#draft = '';
    this.#stick = true;
    this.requestUpdate();
    return true;
  }

  /**
   * Sends a message from the page: its text, files already uploaded (`attachments`, besides those
   * attached in the composer), entities tagged (`tags`, sent as `input_tag`), a model and a composer
   * tool; `newThread` starts a new conversation for it. Returns false when nothing was sent (see
   * {@link sendMessage}).
   */
  async sendUserMessage(message: {
    text: string;
    attachments?: Attachment[] | undefined;
    tags?: MessageTag[] | undefined;
    newThread?: boolean | undefined;
    model?: string | null | undefined;
    toolChoice?: string | null | undefined;
  }): Promise<boolean> {
    if (message.newThread && !this.chat.locked) await this.setThread(null);
    return this.#send(message.text, message);
  }

  /** Puts text into the composer, replacing the draft, and focuses it. Nothing is sent. */
  setComposerValue(value: { text: string }): void {
    this.#draft = value.text;
    this.requestUpdate();
    this.focusComposer();
  }

  /**
   * Sends a widget action to the server, as a button with it would: streamed, or with
   * `streaming: false` answered at once (`threads.sync_custom_action`). `itemId` names the widget it
   * comes from. Returns false when the thread is locked or none is shown.
   */
  sendCustomAction(action: Action, itemId?: string | null): boolean {
    return this.chat.customAction(action, itemId);
  }

  /** Opens the thread history. */
  showHistory(): void {
    if (this.options.history !== false && !this.noHistory) this.#setHistoryOpen(true);
  }

  /** Closes the thread history. */
  hideHistory(): void {
    this.#setHistoryOpen(false);
  }

  /** Loads the thread shown again, with what changed on the server since. */
  fetchUpdates(): Promise<void> {
    return this.chat.fetchUpdates();
  }

  /** Shows a thread by id, or a new conversation for `null`. */
  async setThread(threadId: string | null): Promise<void> {
    await this.chat.open(threadId);
    if (threadId === null) this.focusComposer();
  }

  /** Moves focus to the message box (opening the launcher panel first). */
  focusComposer(): void {
    if (this.launcher && !this.isOpen) {
      this.open();
      return;
    }
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('textarea')?.focus());
  }

  /** Opens the launcher panel and focuses the message box. */
  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.dispatchEvent(new CartritaToggleEvent({ open: true }));
    this.focusComposer();
  }

  /** Closes the launcher panel and returns focus to the launcher button. */
  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.dispatchEvent(new CartritaToggleEvent({ open: false }));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus());
  }

  /** Stops the answer being streamed; what arrived stays, marked as stopped. */
  stop(): void {
    this.chat.stop();
  }

  #renderHeader(title: string): TemplateResult | typeof nothing {
    const s = this.#strings;
    const header = this.options.header;
    if (header === false) return nothing;
    const empty = !this.chat.threadId && this.chat.model.items.length === 0;
    return html`<div part="header" class="header">
      ${
        this.options.history === false || this.noHistory
          ? nothing
          : iconButton('header-button', s.history, icons.menu, this.#toggleHistory, {
              expanded: this.#historyOpen,
            })
      }
      <h2 part="title">${title}</h2>
      ${(header?.buttons ?? []).map((button) =>
        iconButton(
          'header-button custom-button',
          button.label,
          icons[button.icon as keyof typeof icons] ?? button.label,
          () => button.onClick(),
        ),
      )}
      ${iconButton('header-button', s.newThread, icons.plus, () => void this.setThread(null), {
        disabled: empty || this.chat.locked,
      })}
      ${this.launcher ? iconButton('header-button', s.close, icons.close, () => this.close()) : nothing}
    </div>`;
  }

  #renderHistory(): TemplateResult {
    const s = this.#strings;
    const switches = typeof this.options.history === 'object' ? this.options.history : {};
    const { history } = this;
    return html`<nav part="history" class="history" aria-label=${s.history} aria-busy=${history.loading}>
      <ul>
        ${history.threads.map((thread) => {
          const name = thread.title || s.untitled;
          return html`<li part="history-item" data-thread-id=${thread.id}>
              ${
                this.#renaming === thread.id
                  ? html`<form @submit=${(event: SubmitEvent) => this.#rename(event, thread)}>
                    <input name="title" aria-label=${s.renameTo} .value=${thread.title ?? ''} autofocus />
                    <button class="button" type="submit">${s.save}</button>
                    <button class="button" type="button" @click=${() => this.#setRenaming(undefined)}>
                      ${s.cancel}
                    </button>
                  </form>`
                  : html`<button
                      type="button"
                      aria-current=${thread.id === this.chat.threadId}
                      @click=${() => void this.setThread(thread.id)}
                    >
                      ${name}
                    </button>
                    ${
                      switches.rename === false
                        ? nothing
                        : iconButton('history-button', `${s.rename}: ${name}`, icons.edit, () =>
                            this.#setRenaming(thread.id),
                          )
                    }
                    ${
                      switches.delete === false
                        ? nothing
                        : iconButton(
                            'history-button',
                            `${s.delete}: ${name}`,
                            icons.trash,
                            () => void this.#delete(thread),
                          )
                    }`
              }
            </li>`;
        })}
      </ul>
      ${history.failed ? html`<p class="error-text" role="alert">${s.error}</p>` : nothing}
      ${
        history.hasMore
          ? html`<button class="button" type="button" ?disabled=${history.loading} @click=${() => this.history.load(true)}>
            ${s.more}
          </button>`
          : nothing
      }
    </nav>`;
  }

  #setRenaming(id: string | undefined): void {
    this.#renaming = id;
    this.requestUpdate();
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLInputElement>('.history input')?.focus(),
    );
  }

  #renderNotice = (notice: Notice): TemplateResult => html`<div
    part="notice"
    class="notice"
    role=${notice.level === 'danger' ? 'alert' : 'status'}
    data-level=${notice.level}
  >
    <div>
      ${notice.title ? html`<strong>${notice.title}</strong>` : nothing}
      <div class="md" ${this.#markdown(notice.message, true)}></div>
    </div>
    ${iconButton('notice-button', this.#strings.dismiss, icons.close, () => this.chat.dismissNotice(notice))}
  </div>`;

  #renderStart(): TemplateResult {
    const prompts = this.options.startScreen?.prompts ?? [];
    return html`<div part="start" class="start">
      <p part="greeting">${this.options.startScreen?.greeting ?? this.greeting ?? this.#strings.greeting}</p>
      <div class="row">
        ${prompts.map(
          (prompt) =>
            html`<button
              part="prompt"
              class="button"
              type="button"
              ?disabled=${this.session.status !== 'ready'}
              @click=${() => this.sendMessage(prompt.prompt ?? prompt.label)}
            >
              ${prompt.label}
            </button>`,
        )}
      </div>
    </div>`;
  }

  #renderStatus(): TemplateResult | typeof nothing {
    const s = this.#strings;
    const { session, chat } = this;
    const failure = (message: string, retry: (() => void) | undefined, dismiss?: () => void) =>
      html`<div part="error" class="status error" role="alert">
        <span>${message}</span>
        ${
          retry
            ? html`<button part="retry-button" class="button" type="button" @click=${retry}>${s.retry}</button>`
            : nothing
        }
        ${dismiss ? iconButton('error-button', s.dismiss, icons.close, dismiss) : nothing}
      </div>`;
    if (session.status === 'error') return failure(s.connectError, () => void session.connect());
    if (session.status === 'connecting' && !session.client)
      return html`<p part="status" class="status">${s.connecting}</p>`;
    if (chat.error) {
      const retry = chat.error.retry;
      const again = retry
        ? () => {
            chat.dismissError();
            retry();
          }
        : undefined;
      return failure(chat.error.message ?? s.error, again, () => chat.dismissError());
    }
    if (chat.progress) return html`<p part="status progress" class="status progress">${chat.progress}</p>`;
    return nothing;
  }

  #renderUpload = (upload: Upload): TemplateResult => {
    const s = this.#strings;
    const name = upload.file.name;
    return html`<li part="attachment" class="chip" data-status=${upload.status}>
      <span>${name}</span>
      ${
        upload.status === 'uploading'
          ? html`<progress part="attachment-progress" max="1" .value=${upload.progress} aria-label=${name}></progress>`
          : nothing
      }
      ${upload.status === 'error' ? html`<span role="alert">${format(s.uploadFailed, { name })}</span>` : nothing}
      ${iconButton('remove-attachment', format(s.remove, { name }), icons.close, () => void this.attachments.remove(upload))}
    </li>`;
  };

  #tools(): ComposerTool[] {
    return this.options.composer?.tools ?? this.session.capabilities?.tools ?? [];
  }

  #models(): ComposerModel[] {
    return this.options.composer?.models ?? this.session.capabilities?.models ?? [];
  }

  #currentModel(models: ComposerModel[]): string | undefined {
    return this.#model ?? (models.find((m) => m.default) ?? models[0])?.id;
  }

  #pickTool = (id: string): void => {
    this.#tool = id || undefined;
    this.dispatchEvent(new CartritaToolChangeEvent({ toolId: this.#tool ?? null }));
    this.requestUpdate();
  };

  #renderPickers(): unknown {
    const s = this.#strings;
    const tools = this.#tools();
    const models = this.#models();
    const model = this.#currentModel(models);
    return html`${
      tools.length
        ? html`<select
          part="tool-picker"
          class="picker"
          aria-label=${s.tool}
          @change=${(event: Event) => this.#pickTool((event.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${!this.#tool}>${s.noTool}</option>
          ${tools.map((t) => html`<option value=${t.id} ?selected=${t.id === this.#tool}>${t.label}</option>`)}
        </select>`
        : nothing
    }${
      models.length > 1
        ? html`<select
          part="model-picker"
          class="picker"
          aria-label=${s.model}
          @change=${(event: Event) => {
            this.#model = (event.target as HTMLSelectElement).value;
          }}
        >
          ${models.map(
            (m) =>
              html`<option value=${m.id} ?disabled=${!!m.disabled} ?selected=${m.id === model}>${m.label}</option>`,
          )}
        </select>`
        : nothing
    }`;
  }

  #renderComposer(): TemplateResult {
    const s = this.#strings;
    const { chat, attachments, voice } = this;
    const ready = this.session.status === 'ready';
    const canAttach = this.#attachmentsEnabled();
    const canDictate =
      this.options.dictation !== false &&
      !this.noDictation &&
      !!this.session.capabilities?.transcription &&
      canRecord();
    const own = this.options.attachments || {};
    const server = this.session.capabilities?.attachments;
    return html`<form part="composer" class="composer" @submit=${this.#handleSubmit}>
      ${
        attachments.uploads.length
          ? html`<ul part="attachments" class="chips">
            ${attachments.uploads.map(this.#renderUpload)}
          </ul>`
          : nothing
      }
      ${
        attachments.rejected.length
          ? html`<p class="error-text" role="alert">
            ${attachments.rejected
              .map((r) =>
                format(s[r.reason], {
                  name: r.name,
                  size: formatBytes(r.limit),
                  count: own.maxCount ?? 10,
                }),
              )
              .join(' ')}
          </p>`
          : nothing
      }
      ${voice.failed ? html`<p class="error-text" role="alert">${s.dictationFailed}</p>` : nothing}
      ${this.#menu()?.render() ?? nothing}
      ${
        this.#tags.length
          ? html`<ul class="chips">
              ${this.#tags.map(
                (tag) =>
                  html`<li part="composer-tag" class="chip">
                    ${tag.text}
                    ${iconButton('remove-tag', format(s.remove, { name: tag.text }), icons.close, () => {
                      this.#tags = this.#tags.filter((t) => t !== tag);
                      this.requestUpdate();
                    })}
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      <textarea
        part="input"
        name="message"
        rows="1"
        aria-label=${s.placeholder}
        placeholder=${
          this.#tools().find((t) => t.id === this.#tool)?.placeholderOverride ??
          this.options.placeholder ??
          this.placeholder ??
          s.placeholder
        }
        .value=${this.#draft}
        @input=${this.#handleInput}
        @keydown=${this.#handleComposerKeydown}
        @paste=${this.#handlePaste}
      ></textarea>
      <div class="tools">
        ${
          canAttach
            ? html`${iconButton(
                'attach-button',
                s.attach,
                icons.attach,
                () => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click(),
                { disabled: !ready },
              )}
              <input type="file" multiple hidden accept=${(own.accept ?? server?.accept ?? []).join(',')} @change=${this.#handleFiles} />`
            : nothing
        }
        ${
          canDictate
            ? iconButton(
                'voice-button',
                voice.state === 'recording'
                  ? s.stopRecording
                  : voice.state === 'transcribing'
                    ? s.transcribing
                    : s.record,
                icons.mic,
                () => void voice.toggle(),
                { pressed: voice.state === 'recording', disabled: voice.state === 'transcribing' },
              )
            : nothing
        }
        ${this.#renderPickers()}
        <span></span>
        ${
          chat.busy && chat.allowCancel
            ? iconButton('stop-button', s.stop, icons.stop, () => this.stop(), { primary: true })
            : iconButton('send-button', s.send, icons.send, this.#handleSubmit, {
                primary: true,
                disabled:
                  !ready ||
                  chat.locked ||
                  !attachments.settled ||
                  (!this.#draft.trim() && !attachments.uploads.length),
              })
        }
      </div>
    </form>`;
  }

  override render(): TemplateResult {
    const s = this.#strings;
    const { chat } = this;
    const header = this.options.header;
    const title =
      ((header || undefined)?.threadTitle && chat.model.thread?.title) ||
      (this.options.headerTitle ?? this.headerTitle ?? s.title);
    const items = chat.model.items;
    const lastAnswer = items.findLast(
      (item) => item.type !== 'user_message' && item.type !== 'end_of_turn',
    )?.id;
    const context: ItemContext = {
      strings: s,
      busy: chat.locked,
      actions: this.options.threadItemActions ?? {},
      pending: (id) => chat.model.pending.has(id),
      ending: (id) => chat.model.ended.get(id),
      isLastAnswer: (id) => id === lastAnswer,
      feedback: (id) => chat.feedback.get(id),
      copied: this.#copied,
      isAllowedImage: this.#isAllowedImage,
      markdown: this.#markdown,
      onCopy: this.#copy,
      onRetry: (item) => chat.retry(chat.model.userMessageBefore(item.id)?.id),
      onRate: (item, kind) => void chat.rate(item.id, kind),
      onAction: (item, action) => chat.action(item.id, action),
      entities: this.options.entities ?? {},
      onUnknown: (item, type) =>
        this.dispatchEvent(
          new CartritaErrorEvent({
            error: new Error(`The widget of item ${item.id} holds a component it cannot show: ${type}`),
            message: format(s.unsupported, { type }),
          }),
        ),
      refresh: () => this.requestUpdate(),
      root: this.renderRoot,
      onAnswer: this.#answer,
    };
    const hidden = this.launcher && !this.isOpen;
    // `auto` lets the styles follow the system's color scheme.
    return html`<div
      class="root"
      dir=${directionOf(this.#locale)}
      lang=${this.#locale}
      data-theme=${this.options.theme ?? this.theme ?? 'auto'}
      data-density=${this.options.density ?? 'normal'}
    >
      ${
        this.launcher
          ? html`<button
            part="launcher"
            class="launcher"
            type="button"
            aria-label=${this.isOpen ? s.close : s.open}
            aria-expanded=${this.isOpen}
            aria-controls="panel"
            @click=${this.#toggle}
          >
            ${this.isOpen ? icons.close : icons.chat}
          </button>`
          : nothing
      }
      <section
        id="panel"
        part="panel"
        class="panel"
        role=${this.launcher ? 'dialog' : 'region'}
        aria-label=${title || s.title}
        data-connection=${this.session.status}
        data-busy=${chat.busy}
        ?hidden=${hidden}
        @keydown=${this.#handleKeydown}
        @dragover=${this.#handleDrag}
        @dragleave=${this.#handleDrag}
        @drop=${this.#handleDrag}
      >
        ${this.#renderHeader(title)} ${this.#historyOpen ? this.#renderHistory() : nothing}
        ${chat.notices.map(this.#renderNotice)}
        <div
          part="messages"
          class="log"
          role="log"
          aria-live="off"
          aria-label=${s.messages}
          aria-busy=${chat.busy || chat.loading}
          tabindex="0"
          @scroll=${this.#handleScroll}
          @click=${this.#handleDeeplink}
        >
          ${
            items.length === 0 && !chat.loading
              ? this.#renderStart()
              : items.map((item) => renderItem(item, context))
          }
        </div>
        ${this.#renderStatus()} ${this.#renderComposer()}
        ${
          this.options.disclaimer
            ? html`<div
                part="disclaimer"
                class="md disclaimer"
                ?data-high-contrast=${this.options.disclaimer.highContrast}
                ${this.#markdown(this.options.disclaimer.text, true)}
              ></div>`
            : nothing
        }
        <div class="sr-only" role="status" aria-live="polite" data-announcer>${this.#announcement}</div>
        ${this.#dragging ? html`<div class="drop" aria-hidden="true">${s.drop}</div>` : nothing}
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cartrita-chat': CartritaChat;
  }
}
