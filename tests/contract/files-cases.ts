/**
 * @module The contract cases of the files area (seed 004, seed 000's upload): uploads of the text
 * formats, their processing to the end, the list, deletion and refusals, on the mocks and on the
 * server alike. Waiting for processing reads the status outside the transcript (how many reads it
 * takes depends on timing); the status read once a file is done is compared whole.
 */

import { readFile } from 'node:fs/promises';
import {
  ChatResponse,
  FileDeleted,
  FileList,
  FileProcessingStatus,
  FileUploadResponse,
  SearchResponse,
  SessionChatResponse,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError, readJson } from './wire.js';

const upload = (
  target: ContractTarget,
  headers: Record<string, string>,
  path: string,
  file: { name: string; text: string } | undefined,
  fields: Record<string, string> = {},
) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set('file', new Blob([file.text], { type: 'text/plain' }), file.name);
  return target.fetch(`${target.baseURL}${path}`, { method: 'POST', headers, body: form });
};

/** Reads a file's status, unrecorded, until its processing has ended. */
const settle = async (target: ContractTarget, headers: Record<string, string>, fileId: string) => {
  for (;;) {
    const response = await fetch(`${target.baseURL}/files/status/${fileId}`, { headers });
    const status = FileProcessingStatus.parse(await response.json());
    if (status.status === 'completed' || status.status === 'failed') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** The cases, in the order they run. */
export const filesContractCases: readonly ContractCase[] = [
  {
    name: 'text files are uploaded, processed to chunks, listed newest first and deleted',
    async run(target) {
      const headers = target.apiHeaders();
      const files = [
        { name: 'notes.md', text: '# Notes\n\nThe harbour opens at dawn.' },
        { name: 'table.csv', text: 'name,place\nOrla,lighthouse\n' },
        { name: 'data.json', text: '{"fixture": "json", "words": ["comet", "Halvard"]}' },
        { name: 'plain.txt', text: 'Plain words.\n'.repeat(200) },
      ];
      const ids: string[] = [];
      for (const [index, file] of files.entries()) {
        const path = index % 2 === 0 ? '/files/upload' : '/api/upload';
        const fields: Record<string, string> = index === 1 ? { conversation_id: 'thr_contract' } : {};
        const answer = await readJson(
          await upload(target, headers, path, file, fields),
          FileUploadResponse,
          `${target.name} POST ${path}`,
        );
        expect(answer.status).toBe('pending');
        ids.push(answer.file_id);
      }
      for (const id of ids) await settle(target, headers, id);
      for (const id of ids) {
        const status = await readJson(
          await target.fetch(`${target.baseURL}/files/status/${id}`, { headers }),
          FileProcessingStatus,
          `${target.name} GET /files/status/{file_id}`,
          200,
          'allowed',
        );
        expect(status.status).toBe('completed');
      }
      const list = await readJson(
        await target.fetch(`${target.baseURL}/files/list`, { headers }),
        FileList,
        `${target.name} GET /files/list`,
        200,
        'allowed',
      );
      expect(list.files.map((file) => [file.filename, file.content_type, file.conversation_id])).toEqual([
        ['plain.txt', 'text/plain', null],
        ['data.json', 'application/json', null],
        ['table.csv', 'text/csv', 'thr_contract'],
        ['notes.md', 'text/markdown', null],
      ]);
      const deleted = await readJson(
        await target.fetch(`${target.baseURL}/files/${ids[0]}`, { method: 'DELETE', headers }),
        FileDeleted,
        `${target.name} DELETE /files/{file_id}`,
      );
      expect(deleted).toEqual({ file_id: ids[0], deleted: true });
      await readError(
        await target.fetch(`${target.baseURL}/files/status/${ids[0]}`, { headers }),
        404,
        'NOT_FOUND',
        `${target.name} GET /files/status/{file_id} of a deleted file`,
      );
      await readError(
        await target.fetch(`${target.baseURL}/files/${ids[0]}`, { method: 'DELETE', headers }),
        404,
        'NOT_FOUND',
        `${target.name} DELETE /files/{file_id} twice`,
      );
    },
  },
  {
    name: 'PDF, Office, HTML and image files are read by the same parsers, and a corrupt one fails alike',
    // Real parsers on three targets, OCR included: seconds each on a busy machine.
    timeoutMs: 120_000,
    async run(target) {
      const headers = target.apiHeaders();
      const fixture = async (name: string) =>
        new Uint8Array(await readFile(new URL(`../fixtures/files/${name}`, import.meta.url)));
      const pdf = await fixture('sample.pdf');
      const files = [
        { name: 'sample.pdf', bytes: pdf },
        { name: 'sample.docx', bytes: await fixture('sample.docx') },
        { name: 'sample.xlsx', bytes: await fixture('sample.xlsx') },
        { name: 'sample.odp', bytes: await fixture('sample.odp') },
        { name: 'sample.html', bytes: await fixture('sample.html') },
        { name: 'sample.png', bytes: await fixture('sample.png') },
        // A PDF cut after its header: its type is known from the bytes, its body unreadable.
        { name: 'cut.pdf', bytes: pdf.slice(0, 120) },
      ];
      const ids: string[] = [];
      for (const file of files) {
        const form = new FormData();
        form.set('file', new Blob([file.bytes], { type: 'application/octet-stream' }), file.name);
        const answer = await readJson(
          await target.fetch(`${target.baseURL}/files/upload`, { method: 'POST', headers, body: form }),
          FileUploadResponse,
          `${target.name} POST /files/upload ${file.name}`,
        );
        ids.push(answer.file_id);
      }
      for (const id of ids) await settle(target, headers, id);
      const statuses = [];
      for (const id of ids) {
        statuses.push(
          await readJson(
            await target.fetch(`${target.baseURL}/files/status/${id}`, { headers }),
            FileProcessingStatus,
            `${target.name} GET /files/status/{file_id}`,
            200,
            'allowed',
          ),
        );
      }
      expect(statuses.map((status) => status.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'completed',
        'completed',
        'completed',
        'failed',
      ]);
      expect(statuses[6]?.error).toMatch(/^The PDF could not be read: /);
      // Each file's words are found by local search, from the text its parser gave.
      for (const [index, words] of [
        [0, 'otter Florentine'],
        [1, 'quokka Wilbur'],
        [2, 'pelican Marguerite'],
        [3, 'lemur Cornelius'],
        [4, 'violin Teodora'],
        [5, 'penguin Bertrand'],
      ] as const) {
        const found = await readJson(
          await target.fetch(
            `${target.baseURL}/api/search`,
            {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ query: words, provider: 'local', limit: 1 }),
            },
            { compare: 'status' },
          ),
          SearchResponse,
          `${target.name} POST /api/search ${words}`,
        );
        expect(found.results.map((result) => result.url)).toEqual([`/files/status/${ids[index]}`]);
      }
    },
  },
  {
    name: 'uploads of no accepted type, or without a file, are refused and nothing is kept',
    async run(target) {
      const headers = target.apiHeaders();
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0xff, 0xfe])]), 'tool.exe');
      await readError(
        await target.fetch(`${target.baseURL}/files/upload`, { method: 'POST', headers, body: form }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `${target.name} POST /files/upload of an executable`,
      );
      await readError(
        await upload(target, headers, '/api/upload', { name: 'empty.txt', text: '' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `${target.name} POST /api/upload of an empty file`,
      );
      await readError(
        await upload(target, headers, '/files/upload', undefined, { note: 'no file' }),
        422,
        'VALIDATION_ERROR',
        `${target.name} POST /files/upload without a file`,
      );
      const list = await readJson(
        await target.fetch(`${target.baseURL}/files/list`, { headers }),
        FileList,
        `${target.name} GET /files/list`,
        200,
        'allowed',
      );
      expect(list).toEqual({ files: [], total: 0 });
    },
  },
  {
    name: 'local search ranks the caller’s files offline, and the web provider without a key is a 503',
    async run(target) {
      const headers = target.apiHeaders();
      const ids: string[] = [];
      for (const file of [
        {
          name: 'harbour.txt',
          text: 'The harbour report: harbour fees, harbour hours and the harbour master.',
        },
        { name: 'garden.txt', text: 'Garden notes. The harbour is mentioned once.' },
        { name: 'other.txt', text: 'Nothing about the sea here.' },
      ]) {
        const answer = await readJson(
          await upload(target, headers, '/files/upload', file),
          FileUploadResponse,
          `${target.name} POST /files/upload`,
        );
        ids.push(answer.file_id);
      }
      for (const id of ids) await settle(target, headers, id);
      const search = (body: Record<string, unknown>, compare: 'body' | 'status' = 'body') =>
        target.fetch(
          `${target.baseURL}/api/search`,
          {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
          { compare },
        );
      // Scores are on each database's own scale: the order is compared, not the numbers.
      const found = await readJson(
        await search({ query: 'Harbour?', provider: 'local' }, 'status'),
        SearchResponse,
        `${target.name} POST /api/search (local)`,
      );
      expect(found.results.map((result) => [result.title, result.url])).toEqual([
        ['harbour.txt', `/files/status/${ids[0]}`],
        ['garden.txt', `/files/status/${ids[1]}`],
      ]);
      expect(found.results[0]?.snippet).toBe(
        'The harbour report: harbour fees, harbour hours and the harbour master.',
      );
      expect(found.results[0]?.score).toBeGreaterThan(found.results[1]?.score as number);
      const none = await readJson(
        await search({ query: 'volcano', provider: 'local', limit: 5 }),
        SearchResponse,
        `${target.name} POST /api/search (local, nothing found)`,
      );
      expect(none).toEqual({ query: 'volcano', provider: 'local', results: [] });
      await readError(
        await search({ query: 'harbour' }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} POST /api/search (tavily)`,
      );
      await readError(
        await search({ query: 'harbour', provider: 'bing' }),
        422,
        'VALIDATION_ERROR',
        `${target.name} POST /api/search (unknown provider)`,
      );
    },
  },
  {
    name: 'file-aware chat answers from the best passage of the files named, and names its sources',
    async run(target) {
      const headers = target.apiHeaders();
      const ids: string[] = [];
      for (const file of [
        { name: 'harbour.txt', text: 'The harbour opens at dawn and closes at dusk.' },
        { name: 'garden.txt', text: 'The garden opens at noon.' },
        { name: 'secret.txt', text: 'The harbour vault opens at midnight.' },
      ]) {
        const answer = await readJson(
          await upload(target, headers, '/files/upload', file),
          FileUploadResponse,
          `${target.name} POST /files/upload`,
        );
        ids.push(answer.file_id);
      }
      for (const id of ids) await settle(target, headers, id);
      const post = (path: string, body: Record<string, unknown>) =>
        target.fetch(
          `${target.baseURL}${path}`,
          {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
          // Scores are on each database's own scale: the rest is checked below.
          { compare: 'status' },
        );
      const reply = await readJson(
        await post('/api/chat', { message: 'When does the harbour open?', file_ids: [ids[0], ids[1]] }),
        ChatResponse,
        `${target.name} POST /api/chat with file_ids`,
      );
      expect(reply.response).toBe('From **harbour.txt**: The harbour opens at dawn and closes at dusk.');
      expect(reply.sources?.map(({ score: _score, ...source }) => source)).toEqual([
        { file_id: ids[0], filename: 'harbour.txt', chunk: 'The harbour opens at dawn and closes at dusk.' },
        { file_id: ids[1], filename: 'garden.txt', chunk: 'The garden opens at noon.' },
      ]);
      const session = await readJson(
        await post('/chat/', { message: 'garden hours', context: { file_ids: [ids[1], ids[2]] } }),
        SessionChatResponse,
        `${target.name} POST /chat/ with context`,
      );
      expect(session.response).toBe('From **garden.txt**: The garden opens at noon.');
      expect(session.sources?.map((source) => source.filename)).toEqual(['garden.txt']);
      const stream = await post('/chat/stream', { message: 'harbour', context: [ids[2]] });
      const text = await stream.text();
      const done = JSON.parse(/data: (\{"type":"done".*)/.exec(text)?.[1] ?? '{}') as {
        response: string;
        sources: { filename: string }[];
      };
      expect([done.response, done.sources.map((source) => source.filename)]).toEqual([
        'From **secret.txt**: The harbour vault opens at midnight.',
        ['secret.txt'],
      ]);
    },
  },
];
