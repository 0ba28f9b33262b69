/**
 * @module @cartrita/sdk/computer-use: computer-use runs (seed 000). The model plans actions; your code
 * runs them on its own computer or browser and sends back a screenshot, until the run ends.
 */

import { ComputerUseRun, ComputerUseRunDetail } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/** `client.computerUse.execute()` params: `task`, `environment` (`type`, `display_width`, `display_height`), `screenshot?`, `max_steps?`, `timeout_seconds?`. */
export type ComputerUseExecuteParams = RouteBody<'computer_use.execute'>;
/** `client.computerUse.continue()` params: `call_id`, `screenshot`, `current_url?`, `acknowledged_safety_checks?`. */
export type ComputerUseContinueParams = RouteBody<'computer_use.continue'>;
/** A run: `status`, the `actions` to run now, the `pending_call` to answer, the model's `output`. */
export type ComputerUseRunResult = RouteResult<'computer_use.execute'>;

/**
 * `/api/computer-use` (an API key with the `computer_use` scope): OpenAI's computer-use model as a
 * bounded loop that your code executes. The server has no screen: it answers the actions, records
 * each step, and enforces the run's step limit and deadline.
 *
 * @example
 * ```ts
 * let run = await client.computerUse.execute({
 *   task: 'Find the opening hours of the harbour museum',
 *   environment: { type: 'browser', display_width: 1280, display_height: 800 },
 *   screenshot: await page.screenshot().then((png) => `data:image/png;base64,${png.toString('base64')}`),
 * });
 * while (run.status === 'awaiting_action' && run.pending_call) {
 *   for (const action of run.actions) await perform(page, action);
 *   run = await client.computerUse.continue(run.id, {
 *     call_id: run.pending_call.call_id,
 *     screenshot: await screenshotOf(page),
 *     current_url: page.url(),
 *     acknowledged_safety_checks: run.pending_call.pending_safety_checks.map((check) => check.id),
 *   });
 * }
 * console.log(run.status, run.output);
 * ```
 */
export class ComputerUse extends APIResource {
  /** `POST /api/computer-use/execute`: starts a run; resolves with the model's first actions. */
  execute(params: ComputerUseExecuteParams, options?: RequestCallOptions): APIPromise<ComputerUseRunResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/computer-use/execute',
      body: params,
      schema: ComputerUseRun,
      ...options,
    });
  }

  /** `POST /api/computer-use/{run_id}/continue`: the screen after the pending actions; resolves with the next ones. */
  continue(
    runId: string,
    params: ComputerUseContinueParams,
    options?: RequestCallOptions,
  ): APIPromise<RouteResult<'computer_use.continue'>> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/computer-use/${runId}/continue`,
      body: params,
      schema: ComputerUseRun,
      ...options,
    });
  }

  /** `GET /api/computer-use/{run_id}`: the run with every recorded step. */
  retrieve(runId: string, options?: RequestCallOptions): APIPromise<RouteResult<'computer_use.get'>> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/computer-use/${runId}`,
      schema: ComputerUseRunDetail,
      ...options,
    });
  }

  /** `POST /api/computer-use/{run_id}/cancel`: ends the run. */
  cancel(runId: string, options?: RequestCallOptions): APIPromise<RouteResult<'computer_use.cancel'>> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/computer-use/${runId}/cancel`,
      schema: ComputerUseRun,
      ...options,
    });
  }
}
