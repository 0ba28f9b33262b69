/** @module @cartrita/sdk: a typed client for the Cartrita API. */

export type { ClientOptions } from './client.js';
// The client
export { CartritaClient } from './client.js';
// Transport, errors and streams
export * from './core/index.js';
export type { ChatKitStreamEvent, StreamCallOptions, UploadFile } from './resources/chatkit.js';
// Resources
export {
  ChatKit,
  ChatKitAttachments,
  ChatKitInput,
  ChatKitItems,
  ChatKitThreads,
  decodeChatKitEvent,
} from './resources/chatkit.js';
export type { RequestCallOptions } from './resources/health.js';
export { Health, System } from './resources/health.js';
export { routeMethods } from './route-methods.js';
