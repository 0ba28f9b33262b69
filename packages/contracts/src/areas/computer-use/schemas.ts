/**
 * @module Computer use (seed 000): OpenAI's computer-use model plans actions for a computer or browser
 * the caller runs; the server keeps the run, its steps and its limits.
 */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';

/** The kind of computer the caller drives, as OpenAI's `computer_use_preview` tool names it. */
export const ComputerEnvironmentType = z.enum(['browser', 'mac', 'windows', 'ubuntu', 'linux']);
export type ComputerEnvironmentType = z.infer<typeof ComputerEnvironmentType>;

/** The computer the caller declares: its kind and its screen's size in pixels. */
export const ComputerEnvironment = z.object({
  type: ComputerEnvironmentType,
  display_width: /*#__PURE__*/ z.int().check(z.gte(100), z.lte(10_000)),
  display_height: /*#__PURE__*/ z.int().check(z.gte(100), z.lte(10_000)),
});
export type ComputerEnvironment = z.infer<typeof ComputerEnvironment>;

/**
 * A screenshot as a `data:` URL of a PNG, JPEG or WebP image, base64-encoded (at most about 7.5 MB
 * of image).
 */
export const Screenshot = /*#__PURE__*/ z
  .string()
  .check(
    z.maxLength(10_000_000),
    z.regex(
      /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/,
      'Expected a data: URL of a base64 PNG, JPEG or WebP image',
    ),
  );

/** A safety check the model raised; the caller must acknowledge it to go on. */
export const SafetyCheck = z.object({
  id: z.string(),
  code: z.nullable(z.string()),
  message: z.nullable(z.string()),
});
export type SafetyCheck = z.infer<typeof SafetyCheck>;

/**
 * One action for the caller's executor, as OpenAI sends it: `click` (`x`, `y`, `button`),
 * `double_click`, `drag` (`path`), `keypress` (`keys`), `move`, `screenshot`, `scroll` (`x`, `y`,
 * `scroll_x`, `scroll_y`), `type` (`text`) or `wait`.
 */
export const ComputerAction = z.looseObject({ type: z.string() });
export type ComputerAction = z.infer<typeof ComputerAction>;

/** One computer call of the model: run its actions in order, then send a screenshot for `call_id`. */
export const ComputerCall = z.object({
  call_id: z.string(),
  actions: z.array(ComputerAction),
  pending_safety_checks: z.array(SafetyCheck),
});
export type ComputerCall = z.infer<typeof ComputerCall>;

/** Where a run is. Only `awaiting_action` takes a next step; the others are final. */
export const ComputerUseStatus = z.enum([
  'awaiting_action',
  'running',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'step_limit_reached',
]);
export type ComputerUseStatus = z.infer<typeof ComputerUseStatus>;

/** One model turn of a run, as recorded. */
export const ComputerUseStep = z.object({
  /** 1 for the first turn. */
  index: z.int(),
  /** The calls the model made in this turn (none when it answered in words). */
  calls: z.array(ComputerCall),
  /** The model's words in this turn. */
  output: z.string(),
  /** The call this turn answered, the page the caller reported, and the safety checks it acknowledged. */
  answered: z.nullable(
    z.object({
      call_id: z.string(),
      current_url: z.nullable(z.string()),
      acknowledged_safety_checks: z.array(z.string()),
      /** The screenshot's size in bytes (the image itself is sent to the model, not stored). */
      screenshot_bytes: z.int(),
    }),
  ),
  created_at: Timestamp,
});
export type ComputerUseStep = z.infer<typeof ComputerUseStep>;

/** A computer-use run. */
export const ComputerUseRun = z.object({
  id: z.string(),
  status: ComputerUseStatus,
  task: z.string(),
  environment: ComputerEnvironment,
  model: z.string(),
  /** The actions the caller should run now (the pending call's), empty when the run waits for nothing. */
  actions: z.array(ComputerAction),
  /** The call to answer with `POST .../{id}/continue`, while `status` is `awaiting_action`. */
  pending_call: z.nullable(ComputerCall),
  /** The model's words so far: the answer, once `completed`. */
  output: z.string(),
  /** Why the run failed, when it did. */
  error: z.nullable(z.object({ code: z.string(), message: z.string() })),
  steps_taken: z.int(),
  max_steps: z.int(),
  /** The run ends `timed_out` when a step is asked after this time. */
  expires_at: Timestamp,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type ComputerUseRun = z.infer<typeof ComputerUseRun>;

/** A run with every step it recorded. */
export const ComputerUseRunDetail = z.extend(ComputerUseRun, { steps: z.array(ComputerUseStep) });
export type ComputerUseRunDetail = z.infer<typeof ComputerUseRunDetail>;

/** `POST /api/computer-use/execute`. */
export const ComputerUseExecuteRequest = z.object({
  /** What to do, in words. */
  task: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(10_000)),
  environment: ComputerEnvironment,
  /** The screen before the first action, so the model starts from what is there (the body may reach 11 MiB). */
  screenshot: z.optional(Screenshot),
  /** The most model turns (the server's `COMPUTER_USE_MAX_STEPS` at most). */
  max_steps: z.optional(/*#__PURE__*/ z.int().check(z.gte(1), z.lte(500))),
  /** The longest the run may last, in seconds (the server's `COMPUTER_USE_TIMEOUT_MS` at most). */
  timeout_seconds: z.optional(/*#__PURE__*/ z.int().check(z.gte(1), z.lte(86_400))),
});
export type ComputerUseExecuteRequest = z.infer<typeof ComputerUseExecuteRequest>;

/** `POST /api/computer-use/{run_id}/continue`: the screen after running the pending call's actions. */
export const ComputerUseContinueRequest = z.object({
  call_id: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200)),
  screenshot: Screenshot,
  /** The page's URL, for a browser: the model uses it, and it is recorded. */
  current_url: z.optional(/*#__PURE__*/ z.string().check(z.maxLength(4000))),
  /** The ids of the pending call's safety checks the caller's user approved: all of them, to go on. */
  acknowledged_safety_checks: z.optional(
    /*#__PURE__*/ z.array(/*#__PURE__*/ z.string().check(z.maxLength(200))).check(z.maxLength(50)),
  ),
});
export type ComputerUseContinueRequest = z.infer<typeof ComputerUseContinueRequest>;

/** `{run_id}` of a run's routes. */
export const ComputerUseRunParams = z.object({
  run_id: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100)),
});
export type ComputerUseRunParams = z.infer<typeof ComputerUseRunParams>;
