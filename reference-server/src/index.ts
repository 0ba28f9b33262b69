/** @module @cartrita/server: the Cartrita reference server as a library. */

// Providers
export {
  type ChatMessage,
  type ChatProvider,
  createDemoProvider,
  type DemoProviderOptions,
  type ProviderChunk,
  type ProviderRequest,
  type Usage,
} from '@cartrita/engine';
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
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
