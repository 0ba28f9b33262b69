/**
 * @module @cartrita/widget: the `<cartrita-chat>` web component and its parts. Importing this module
 * has no side effects; import `@cartrita/widget/define` (or call `defineCartritaChat`) to register the
 * tag.
 */

// The element
export { CartritaChat } from './components/cartrita-chat/cartrita-chat.js';
export type {
  CartritaChatOptions,
  ComposerModel,
  ComposerTool,
  StartPrompt,
} from './components/cartrita-chat/options.js';
// Controllers, for building other views on the same logic
export type { AttachmentLimits, Rejection, Upload } from './controllers/attachments-controller.js';
export { AttachmentsController } from './controllers/attachments-controller.js';
export type {
  ChatError,
  ClientToolHook,
  MessageTag,
  Notice,
  SendOptions,
} from './controllers/chat-controller.js';
export { ChatController } from './controllers/chat-controller.js';
export { HistoryController } from './controllers/history-controller.js';
export type {
  ClientSecretHook,
  SessionCapabilities,
  SessionSettings,
} from './controllers/session-controller.js';
export {
  CHAT_TIMEOUT_MS,
  SESSION_RETRIES,
  SESSION_TIMEOUT_MS,
  SessionController,
} from './controllers/session-controller.js';
export type { ThreadMeta } from './controllers/thread-model.js';
export { applyAssistantUpdate, applyWidgetUpdate, ThreadModel } from './controllers/thread-model.js';
export { VoiceController } from './controllers/voice-controller.js';
// Events
export * from './events/index.js';
// Locales
export type { Strings } from './locales/index.js';
export { directionOf, en, format, loadStrings, locales, pickLocale } from './locales/index.js';
