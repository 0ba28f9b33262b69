/**
 * @module The contract cases of voice (seed 000) on a server without a voice provider, the default:
 * audio is checked by its bytes before anything else, and transcription then answers 503 on
 * `POST /api/voice/process` and ChatKit's `input.transcribe` alike, with sessions saying so.
 */
import { readFileSync } from 'node:fs';
import { ChatKitSession } from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError, readJson } from './wire.js';

const tone = readFileSync(new URL('../fixtures/audio/tone.wav', import.meta.url));

const process = (
  target: ContractTarget,
  headers: Record<string, string>,
  audio: Uint8Array | undefined,
  fields: Record<string, string> = {},
) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (audio) form.set('audio', new Blob([audio as BlobPart], { type: 'audio/wav' }), 'clip.wav');
  return target.fetch(`${target.baseURL}/api/voice/process`, { method: 'POST', headers, body: form });
};

/** The cases, in the order they run. */
export const voiceContractCases: readonly ContractCase[] = [
  {
    name: 'voice checks the audio by its bytes, then answers 503 without a voice provider',
    async run(target) {
      const headers = target.apiHeaders();
      await readError(
        await process(target, headers, new TextEncoder().encode('words, not audio')),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `${target.name} POST /api/voice/process (text)`,
      );
      await readError(
        await process(target, headers, undefined, { language: 'en' }),
        422,
        'VALIDATION_ERROR',
        `${target.name} POST /api/voice/process (no audio)`,
      );
      await readError(
        await process(target, headers, tone, { provider: 'whisperer' }),
        422,
        'VALIDATION_ERROR',
        `${target.name} POST /api/voice/process (unknown provider)`,
      );
      const missing = await readError(
        await process(target, headers, tone),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} POST /api/voice/process (no provider)`,
      );
      expect(missing.error.details).toEqual({ configured: [] });
    },
  },
  {
    name: 'ChatKit sessions report no transcription, and input.transcribe answers 503',
    async run(target) {
      const session = await readJson(
        await target.fetch(
          `${target.baseURL}/api/chatkit/session`,
          { method: 'POST' },
          { compare: 'status' },
        ),
        ChatKitSession,
        `${target.name} POST /api/chatkit/session`,
      );
      expect(session.capabilities?.transcription).toBe(false);
      await readError(
        await target.fetch(`${target.baseURL}/chatkit`, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.client_secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'input.transcribe',
            params: { audio_base64: tone.toString('base64'), mime_type: 'audio/wav' },
          }),
        }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} POST /chatkit input.transcribe`,
      );
    },
  },
];
