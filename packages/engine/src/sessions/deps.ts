/** @module What the session area's services are built over. */
import type { SessionStore } from '../chatkit/repositories.js';
import type { Clock } from '../clock.js';
import type { EngineStore } from '../engines/repositories.js';
import type { EventBus } from '../events.js';
import type { EngineLogger } from '../logger.js';
import type { Sandbox } from '../sandbox.js';
import type { Telemetry } from '../telemetry.js';
import type { SessionAreaRepositories } from './repositories.js';

/** The ports of the session area. */
export interface SessionAreaDeps {
  sessions: SessionStore;
  repositories: SessionAreaRepositories;
  engines: EngineStore;
  bus: EventBus;
  sandbox: Sandbox;
  telemetry: Telemetry;
  logger: EngineLogger;
  clock: Clock;
}

/** The bus topic of a session's events. */
export const sessionTopic = (sessionId: string): string => `session:${sessionId}`;
