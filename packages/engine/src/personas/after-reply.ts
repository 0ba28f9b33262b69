/**
 * @module Stages 4–5 of seed 003's chat pipeline: once a reply is complete, the user's after-reply
 * modules that the message triggered run, one after another, and what they did is kept on the
 * assistant message (`extra_data.post_response`). Every chat door reaches this through the turn.
 */
import type { ModuleRunReport } from '@cartrita/contracts';
import type { ItemStore } from '../chatkit/repositories.js';
import { messageExtrasField } from '../conversations/service.js';
import type { EngineLogger } from '../logger.js';
import type { ModuleService } from './module-service.js';

/** A completed reply whose after-reply modules are to run. */
export interface AfterReplyTurn {
  userId: string;
  threadId: string;
  /** The assistant message the reply is. */
  messageId: string;
  /** The conversation's persona, when it has one. */
  personaId: string | null;
  /**
   * The user's message the reply answered: what triggers modules. A function is called only when the
   * user has after-reply modules (reading it may cost a history query).
   */
  message: string | (() => Promise<string>);
  reply: string;
  /** Aborted when the turn is cancelled: the module running stops being waited for, the rest are skipped. */
  signal: AbortSignal;
}

/** Resolves on a later turn of the event loop, once pending I/O has been handled (Node and browsers). */
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
    if (immediate) immediate(resolve);
    else setTimeout(resolve, 0);
  });

/** What stages 4–5 need. */
export interface AfterReplyDeps {
  modules: ModuleService;
  items: ItemStore;
  logger: EngineLogger;
  now(): string;
}

/**
 * Runs the after-reply modules of a turn and keeps their reports on the assistant message. Answers
 * the reports, in the order the modules ran (none when no module was triggered). Never throws: a
 * module that fails is reported as failed, and the reply is untouched.
 */
export const runAfterReply = async (
  deps: AfterReplyDeps,
  turn: AfterReplyTurn,
): Promise<ModuleRunReport[]> => {
  let read: Promise<string> | undefined;
  const message = () => {
    read ??= typeof turn.message === 'string' ? Promise.resolve(turn.message) : turn.message();
    return read;
  };
  let modules: Awaited<ReturnType<ModuleService['afterReplyModules']>>;
  try {
    modules = await deps.modules.afterReplyModules(turn.userId, message);
  } catch (error) {
    deps.logger.error({ err: error, threadId: turn.threadId }, 'Listing after-reply modules failed');
    return [];
  }
  if (modules.length === 0) return [];
  // The reply's end is a burst of storage work that may never leave the microtask queue; a cancel
  // sent on seeing `done` is let in before the modules start, and between them.
  await nextTask();
  const text = await message();
  // What a module's content and script see: `${message}`, `${response}`, … and ctx.get_variable(…).
  const variables = {
    message: text,
    response: turn.reply,
    conversation_id: turn.threadId,
    message_id: turn.messageId,
    persona_id: turn.personaId,
  };
  const reports: ModuleRunReport[] = [];
  for (const module of modules) {
    reports.push(await deps.modules.runAfterReply(module, variables, turn.signal));
    await nextTask();
  }
  for (const report of reports) {
    if (report.status === 'failed') {
      deps.logger.warn(
        { threadId: turn.threadId, module: report.name, stage: report.stage, error: report.error },
        'An after-reply module failed',
      );
    }
  }
  await keepReports(deps, turn, reports).catch((error: unknown) =>
    deps.logger.error({ err: error, threadId: turn.threadId }, 'Keeping after-reply module reports failed'),
  );
  return reports;
};

/** Puts the reports on the assistant message's `extra_data`, beside what was there. */
const keepReports = async (
  deps: AfterReplyDeps,
  turn: AfterReplyTurn,
  reports: readonly ModuleRunReport[],
): Promise<void> => {
  const item = await deps.items.get(turn.threadId, turn.messageId);
  if (!item) return;
  const extras = (item[messageExtrasField] ?? {}) as { extra_data?: Record<string, unknown> | null };
  await deps.items.save(turn.threadId, {
    ...item,
    [messageExtrasField]: {
      thinking: null,
      input_tokens: null,
      output_tokens: null,
      ...extras,
      extra_data: {
        ...(extras.extra_data ?? {}),
        post_response: { modules: reports, completed_at: deps.now() },
      },
    },
  });
};
