export * from './commands.js';
export * from './events.js';
export * from './handlers.js';
export * from './routes.js';
export * from './sessions.js';
export * from './tools.js';
