export * from './modules.js';
export * from './personas.js';
export * from './routes.js';
export * from './templates.js';
