export * from './frames.js';
export * from './requests.js';
export * from './routes.js';
export * from './websocket.js';
