import { chatHandlers } from './chat.js';
import { chatkitHandlers } from './chatkit.js';
import { systemHandlers } from './system.js';
import type { RouteHandlers } from './types.js';

/** Every route handler, by route id. */
export const routeHandlers: RouteHandlers = { ...systemHandlers, ...chatkitHandlers, ...chatHandlers };
