// The mocks of each URL area, and createHandlers / mockRoute that turn them into MSW handlers
export * from './chat.js';
export * from './chatkit.js';
export * from './create-handlers.js';
export * from './realtime.js';
export * from './system.js';
