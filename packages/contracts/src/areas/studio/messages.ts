import * as z from 'zod/mini';
import { Usage } from '../chat/requests.js';
import { FileProcessingUpdate } from '../files/schemas.js';

/** A session (conversation) id as the studio socket names it: seed 004's `session_id`. */
const SessionId = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200));

/** What a client sends on `WS /ws/{client_id}` (seed 004). */
export const StudioClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  /** Follow a session's chat: its replies as they stream, and the turn's stages, use and plan. */
  z.object({ type: z.literal('subscribe'), session_id: SessionId }),
  z.object({ type: z.literal('unsubscribe'), session_id: SessionId }),
]);
export type StudioClientMessage = z.infer<typeof StudioClientMessage>;

/** The stages of a chat turn that `agent_execution_update` reports, in the order they happen. */
export const AgentStage = z.enum(['started', 'streaming', 'step', 'completed', 'failed', 'cancelled']);
export type AgentStage = z.infer<typeof AgentStage>;

/** A node of a turn's plan: what the engine does, and how far it got. */
export const PlanNode = z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
});
export type PlanNode = z.infer<typeof PlanNode>;

/**
 * A reply of a subscribed session as it streams: each update with `is_complete: false` carries the
 * next piece of the text; the last one, `is_complete: true`, carries the whole reply (so a client that
 * subscribed late still gets it).
 */
export const ChatUpdate = z.object({
  type: z.literal('chat_update'),
  session_id: z.string(),
  response_id: z.string(),
  message: z.string(),
  is_complete: z.boolean(),
});
export type ChatUpdate = z.infer<typeof ChatUpdate>;

/** A stage of a turn: `started`, `streaming` (the first text), `step` (a tool or a search), and how it ended. */
export const AgentExecutionUpdate = z.object({
  type: z.literal('agent_execution_update'),
  session_id: z.string(),
  response_id: z.string(),
  stage: AgentStage,
  /** What the stage is about: the step's text, the failure's message; null otherwise. */
  detail: z.nullable(z.string()),
  timestamp: z.iso.datetime(),
});
export type AgentExecutionUpdate = z.infer<typeof AgentExecutionUpdate>;

/** What a turn used, once it ended. */
export const ExecutionMonitoringUpdate = z.object({
  type: z.literal('execution_monitoring_update'),
  session_id: z.string(),
  response_id: z.string(),
  provider: z.string(),
  model: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  duration_ms: z.number(),
  /** From the turn's start to its first piece of text; null when none came. */
  time_to_first_token_ms: z.nullable(z.number()),
  chunks: z.int(),
  characters: z.int(),
  usage: z.nullable(Usage),
});
export type ExecutionMonitoringUpdate = z.infer<typeof ExecutionMonitoringUpdate>;

/** The plan of a turn (its steps in order and how far each got), sent whenever it changes. */
export const PlanGraphUpdate = z.object({
  type: z.literal('plan_graph_update'),
  session_id: z.string(),
  response_id: z.string(),
  nodes: z.array(PlanNode),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type PlanGraphUpdate = z.infer<typeof PlanGraphUpdate>;

/** What the server sends on `WS /ws/{client_id}`. */
export const StudioServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connected'), client_id: z.string() }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('subscribed'), session_id: z.string() }),
  z.object({ type: z.literal('unsubscribed'), session_id: z.string() }),
  ChatUpdate,
  FileProcessingUpdate,
  AgentExecutionUpdate,
  ExecutionMonitoringUpdate,
  PlanGraphUpdate,
  z.object({ type: z.literal('error'), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type StudioServerMessage = z.infer<typeof StudioServerMessage>;

/** The updates of a session that `subscribe` follows. */
export type StudioSessionUpdate =
  | ChatUpdate
  | AgentExecutionUpdate
  | ExecutionMonitoringUpdate
  | PlanGraphUpdate;

/** Path parameters of `WS /ws/{client_id}`. */
export const StudioParams = z.object({
  client_id: /*#__PURE__*/ z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/)),
});
