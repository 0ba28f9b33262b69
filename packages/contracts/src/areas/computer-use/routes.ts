import { defineRoute } from '../../route.js';
import {
  ComputerUseContinueRequest,
  ComputerUseExecuteRequest,
  ComputerUseRun,
  ComputerUseRunDetail,
  ComputerUseRunParams,
} from './schemas.js';

/** A body with a screenshot: the 10 MB of its data URL and room for the other fields. */
const screenshotBodyBytes = 11 * 1024 * 1024;

const loop =
  'The caller runs the actions on its own computer or browser, then sends a screenshot to ' +
  '`POST /api/computer-use/{run_id}/continue`; the run ends `completed` when the model answers in words, or ' +
  '`step_limit_reached`, `timed_out`, `cancelled` or `failed`.';

/** Computer use (seed 000): OpenAI's computer-use model, as a bounded loop the caller executes. */
export const computerUseRoutes = [
  defineRoute({
    id: 'computer_use.execute',
    method: 'POST',
    path: '/api/computer-use/execute',
    tag: 'computer-use',
    summary: 'Start a computer-use run: the model’s first actions for the declared computer',
    description: `Starts a run of \`task\` on the declared \`environment\` and answers the model’s first actions. ${loop} 503 \`PROVIDER_NOT_CONFIGURED\` without \`OPENAI_API_KEY\`.`,
    auth: { scope: 'computer_use' },
    body: ComputerUseExecuteRequest,
    maxBodyBytes: screenshotBodyBytes,
    response: { json: ComputerUseRun, status: 201, nulls: true },
    errors: ['PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR', 'RATE_LIMITED'],
  }),
  defineRoute({
    id: 'computer_use.continue',
    method: 'POST',
    path: '/api/computer-use/{run_id}/continue',
    tag: 'computer-use',
    summary: 'Send the screen after the pending actions; get the next ones',
    description: `Answers the pending call with a screenshot (and the safety checks acknowledged). 409 when the run is not awaiting that call. ${loop}`,
    auth: { scope: 'computer_use' },
    params: ComputerUseRunParams,
    body: ComputerUseContinueRequest,
    maxBodyBytes: screenshotBodyBytes,
    response: { json: ComputerUseRun, nulls: true },
    errors: ['NOT_FOUND', 'CONFLICT', 'PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR', 'RATE_LIMITED'],
  }),
  defineRoute({
    id: 'computer_use.get',
    method: 'GET',
    path: '/api/computer-use/{run_id}',
    tag: 'computer-use',
    summary: 'Read a computer-use run with every step it recorded',
    auth: { scope: 'computer_use' },
    params: ComputerUseRunParams,
    response: { json: ComputerUseRunDetail, nulls: true },
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    id: 'computer_use.cancel',
    method: 'POST',
    path: '/api/computer-use/{run_id}/cancel',
    tag: 'computer-use',
    summary: 'Cancel a computer-use run',
    description:
      'Ends a run that is not over (a model turn under way is aborted); a run already over is answered as it is.',
    auth: { scope: 'computer_use' },
    params: ComputerUseRunParams,
    response: { json: ComputerUseRun, nulls: true },
    errors: ['NOT_FOUND'],
  }),
] as const;
