/** @module Every route handler, by route id: one line per area. */

import { agentHandlers } from '../areas/agents/routes.js';
import { chatHandlers } from '../areas/chat/routes.js';
import { chatkitHandlers } from '../areas/chatkit/routes.js';
import { computerUseHandlers } from '../areas/computer-use/routes.js';
import { configHandlers } from '../areas/config/routes.js';
import { conversationHandlers } from '../areas/conversations/routes.js';
import { engineHandlers } from '../areas/engines/routes.js';
import { fileHandlers } from '../areas/files/routes.js';
import { githubHandlers } from '../areas/github/routes.js';
import { huggingfaceHandlers } from '../areas/huggingface/routes.js';
import { memoryHandlers } from '../areas/memory/routes.js';
import { observabilityHandlers } from '../areas/observability/routes.js';
import { personaHandlers } from '../areas/personas/routes.js';
import { searchHandlers } from '../areas/search/routes.js';
import { sessionHandlers } from '../areas/sessions/routes.js';
import { studioHandlers } from '../areas/studio/routes.js';
import { systemHandlers } from '../areas/system/routes.js';
import { voiceHandlers } from '../areas/voice/routes.js';
import type { RouteHandlers } from './types.js';

/** Every route handler, by route id: a route of the table without one does not compile. */
export const routeHandlers: RouteHandlers = {
  ...systemHandlers,
  ...chatkitHandlers,
  ...chatHandlers,
  ...sessionHandlers,
  ...engineHandlers,
  ...observabilityHandlers,
  ...studioHandlers,
  ...conversationHandlers,
  ...memoryHandlers,
  ...configHandlers,
  ...fileHandlers,
  ...searchHandlers,
  ...agentHandlers,
  ...personaHandlers,
  ...githubHandlers,
  ...huggingfaceHandlers,
  ...computerUseHandlers,
  ...voiceHandlers,
};
