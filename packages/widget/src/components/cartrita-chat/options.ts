import type { FetchLike } from '@cartrita/sdk/core';
import type { ClientToolHook, MessageTag } from '../../controllers/chat-controller.js';
import type { ClientSecretHook } from '../../controllers/session-controller.js';
import type { Strings } from '../../locales/en.js';
import type { Entity } from '../entities/entities.js';

/** A suggested first message on the start screen. */
export interface StartPrompt {
  /** The button's text. */
  label: string;
  /** The message sent; defaults to the label. */
  prompt?: string | undefined;
}

/** A button of the page's own in the header. */
export interface HeaderButton {
  /** Its accessible name (and its text when it has no icon). */
  label: string;
  /** One of the widget's icons: `menu`, `plus`, `close`, `chat`, `edit`, `trash`, `copy`, `retry`. */
  icon?: string | undefined;
  onClick: () => void;
}

/** A tool the user can pick in the composer; sent as `inference_options.tool_choice`. */
export interface ComposerTool {
  id: string;
  label: string;
  /** The composer's placeholder while the tool is picked. */
  placeholderOverride?: string | undefined;
  /** Stays picked after a message is sent. Default false. */
  persistent?: boolean | undefined;
}

/** A model the user can pick; sent as `inference_options.model`. */
export interface ComposerModel {
  id: string;
  label: string;
  disabled?: boolean | undefined;
  /** Picked at first. Default: the first model. */
  default?: boolean | undefined;
}

/**
 * Everything `<cartrita-chat>` can be told, as the `options` property. Each field overrides the
 * attribute of the same meaning; anything left out falls back to the attribute, then to the default.
 *
 * @example
 * ```ts
 * const chat = document.querySelector('cartrita-chat')!;
 * chat.options = {
 *   apiUrl: 'https://chat.example.com',
 *   startScreen: { greeting: 'Ask about your order', prompts: [{ label: 'Where is my parcel?' }] },
 *   onClientTool: async ({ name, params }) => (name === 'get_cart' ? { items: cart.items } : { error: 'unknown tool' }),
 * };
 * ```
 */
export interface CartritaChatOptions {
  /** The Cartrita server's base URL (attribute `api-url`). Default: the origin the script came from, else the page's. */
  apiUrl?: string | undefined;
  /** Where to create sessions instead of `{apiUrl}/api/chatkit/session` (attribute `session-url`). */
  sessionUrl?: string | undefined;
  /** Supplies client secrets from the page's own backend; replaces the session request. */
  getClientSecret?: ClientSecretHook | undefined;
  /** `light`, `dark`, or `auto` to follow the system (attribute `theme`). Default `auto`. */
  theme?: 'light' | 'dark' | 'auto' | undefined;
  /** The language of the widget's own strings (attribute `lang`). Default: the page's, then the browser's. */
  lang?: string | undefined;
  /** Replaces some of the widget's strings. */
  strings?: Partial<Strings> | undefined;
  /** The header's title (attribute `header-title`); an empty string hides the header's title. */
  headerTitle?: string | undefined;
  /** The start screen shown before the first message. */
  startScreen?: { greeting?: string | undefined; prompts?: StartPrompt[] | undefined } | undefined;
  /** The composer's placeholder (attribute `placeholder`). */
  placeholder?: string | undefined;
  /**
   * Origins images may load from, in markdown and widgets (attribute `allowed-image-origins`, space
   * separated). The API's origin is always allowed.
   */
  allowedImageOrigins?: string[] | undefined;
  /**
   * Attachments: `false` turns them off; limits default to the session's capabilities. `accept` holds
   * MIME types, `type/*` patterns and `.ext` suffixes; `maxBytes` is one limit or one per such
   * pattern (the first that matches counts). `uploadUrl` makes uploads direct: each file is posted
   * as multipart `file` there, and the answer is the attachment.
   */
  attachments?:
    | false
    | {
        maxBytes?: number | Record<string, number>;
        accept?: string[];
        maxCount?: number;
        uploadUrl?: string;
      }
    | undefined;
  /**
   * Whether the thread history is offered (attribute `no-history` turns it off), and whether its
   * threads can be renamed and deleted. Default all on.
   */
  history?: boolean | { rename?: boolean | undefined; delete?: boolean | undefined } | undefined;
  /**
   * The header: `false` hides it. `threadTitle` shows the thread's title, once it has one, instead of
   * the header title; `buttons` adds buttons of the page's own (an `icon` of the widget's set, else
   * the label as text).
   */
  header?:
    | false
    | {
        threadTitle?: boolean | undefined;
        buttons?: HeaderButton[] | undefined;
      }
    | undefined;
  /** Which actions answers offer: thumbs up and down (`items.feedback`), and retry. Default both. */
  threadItemActions?: { feedback?: boolean | undefined; retry?: boolean | undefined } | undefined;
  /** A note under the composer, in markdown (links follow the markdown link policy). */
  disclaimer?: { text: string; highContrast?: boolean | undefined } | undefined;
  /** Spacing between messages and around the composer. Default `normal`. */
  density?: 'compact' | 'normal' | 'spacious' | undefined;
  /** Whether dictation is offered when the server can transcribe (attribute `no-dictation`). Default true. */
  dictation?: boolean | undefined;
  /**
   * The composer's tools menu and model picker. Each list defaults to what the server reports in the
   * session's capabilities; an empty list hides its menu. The model picker shows when there are two
   * models or more.
   */
  composer?: { tools?: ComposerTool[] | undefined; models?: ComposerModel[] | undefined } | undefined;
  /**
   * Commands offered in a menu when the message starts with "/": picking one (arrows and Enter or
   * Tab, or a click) puts `/name ` in the composer.
   */
  commands?: Array<{ name: string; description?: string | undefined }> | undefined;
  /**
   * Entities: `onTagSearch` answers an "@" typed in the composer with entities to tag (picked ones
   * are sent as `input_tag` parts); `onClick` makes the tags in messages and the entity sources of
   * answers buttons; `onRequestPreview` answers hovering or focusing one with a widget to show above it.
   */
  entities?:
    | {
        onTagSearch?: ((query: string) => MessageTag[] | Promise<MessageTag[]>) | undefined;
        onClick?: ((entity: Entity) => void) | undefined;
        onRequestPreview?:
          | ((entity: Entity) => Promise<{ preview: unknown }> | { preview: unknown })
          | undefined;
      }
    | undefined;
  /** Runs client tool calls for the assistant; its result is sent back to the server. */
  onClientTool?: ClientToolHook | undefined;
  /** The thread to open first (attribute `initial-thread`). */
  initialThread?: string | null | undefined;
  /** Replaces `fetch` for every request the widget makes (instrumentation, a proxy, tests). */
  fetch?: FetchLike | undefined;
}
