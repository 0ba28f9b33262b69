/**
 * @module Contract cases of seed 000's provider routes where no provider is configured: the GitHub
 * proxy, Hugging Face inference and computer use check their input, then answer 503
 * `PROVIDER_NOT_CONFIGURED`, never a call elsewhere, on the mocks and on the server alike.
 */
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError } from './wire.js';

const send = (target: ContractTarget, method: string, path: string, body?: unknown) =>
  target.fetch(`${target.baseURL}${path}`, {
    method,
    headers: {
      ...target.apiHeaders(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const environment = { type: 'browser', display_width: 1024, display_height: 768 };

/** The cases, in the order they run. */
export const providerContractCases: readonly ContractCase[] = [
  {
    name: 'the GitHub proxy checks its query, then answers 503 without a GitHub key',
    async run(target) {
      await readError(
        await send(target, 'GET', '/api/github/repos/octocat/hello-world/issues?per_page=500'),
        422,
        'VALIDATION_ERROR',
        `${target.name} issues with per_page 500`,
      );
      await readError(
        await send(target, 'GET', '/api/github/repos/octo%20cat/hello-world'),
        422,
        'VALIDATION_ERROR',
        `${target.name} an owner GitHub cannot have`,
      );
      for (const path of [
        '/api/github/repos/octocat/hello-world',
        '/api/github/repos/octocat/hello-world/pulls/2',
        '/api/github/search/issues?q=is%3Apr',
      ]) {
        const envelope = await readError(
          await send(target, 'GET', path),
          503,
          'PROVIDER_NOT_CONFIGURED',
          `${target.name} ${path}`,
        );
        expect(envelope.error.details).toEqual({ provider: 'github' });
      }
    },
  },
  {
    name: 'Hugging Face inference checks the inputs of the task, then answers 503 without a key',
    async run(target) {
      const envelope = await readError(
        await send(target, 'POST', '/api/huggingface/inference', {
          model: 'deepset/roberta-base-squad2',
          task: 'question-answering',
          inputs: 'no question here',
        }),
        422,
        'VALIDATION_ERROR',
        `${target.name} question answering without a question`,
      );
      expect(envelope.error.message).toBe('inputs do not have the shape of the question-answering task');
      await readError(
        await send(target, 'POST', '/api/huggingface/inference', {
          model: 'x',
          task: 'painting',
          inputs: 'x',
        }),
        422,
        'VALIDATION_ERROR',
        `${target.name} a task that is not served`,
      );
      await readError(
        await send(target, 'POST', '/api/huggingface/inference', {
          model: 'openai-community/gpt2',
          inputs: 'Once',
        }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} text generation without a key`,
      );
    },
  },
  {
    name: 'computer use answers 503 without an OpenAI key and 404 for runs that do not exist',
    async run(target) {
      await readError(
        await send(target, 'POST', '/api/computer-use/execute', { task: 'Open the docs', environment }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} a run without a model`,
      );
      await readError(
        await send(target, 'POST', '/api/computer-use/execute', {
          task: 'Open the docs',
          environment: { ...environment, display_width: 5 },
        }),
        422,
        'VALIDATION_ERROR',
        `${target.name} a screen 5 pixels wide`,
      );
      await readError(
        await send(target, 'GET', '/api/computer-use/cu_missing'),
        404,
        'NOT_FOUND',
        `${target.name} get`,
      );
      await readError(
        await send(target, 'POST', '/api/computer-use/cu_missing/cancel'),
        404,
        'NOT_FOUND',
        `${target.name} cancel`,
      );
    },
  },
];
