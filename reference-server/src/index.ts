/** @module @cartrita/server: the Cartrita reference server as a library. */

// Building and running
export { type CartritaApp, type CreateAppOptions, createApp, version } from './app.js';
export type { AppContext } from './app-context.js';
// Configuration
export {
  type Config,
  ConfigError,
  type LoadConfigOptions,
  loadConfig,
  resolveSigningSecret,
} from './config.js';
// Providers
export { createDemoProvider, type DemoProviderOptions } from './providers/demo.js';
export type { ChatMessage, ChatProvider, ProviderChunk, ProviderRequest, Usage } from './providers/types.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
