export * from './attachments.js';
export * from './common.js';
export * from './events.js';
export * from './items.js';
export * from './requests.js';
export * from './routes.js';
export * from './session.js';
export * from './widgets.js';
