/** @module @cartrita/sdk/voice: voice (seed 000): recorded speech to text, through the server's voice provider. */

import { VoiceProcessResponse, type VoiceProviderName } from '@cartrita/contracts';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteResult } from '../core/route-types.js';

/** `client.voice.process()` result: `{transcript, confidence, duration, language, provider}`. */
export type VoiceProcessResult = RouteResult<'voice.process'>;

/** What {@link Voice.process} sends: recorded audio as a `Blob` or `File` (a `MediaRecorder`'s, say). */
export type VoiceAudioSource = Blob | File;

/** Options of {@link Voice.process}. */
export interface VoiceProcessParams extends RequestCallOptions {
  /** `deepgram` or `openai`; default the server's voice provider. */
  provider?: VoiceProviderName;
  /** The spoken language as a BCP-47 tag (`en`, `pt-BR`); default detected by the provider. */
  language?: string;
  /** The file name sent with the audio; default the `File`'s own, else `audio`. It does not decide the type. */
  filename?: string;
}

/**
 * `POST /api/voice/process` (an API key with the `voice` scope): sends recorded audio, answers its
 * transcript. The server reads the audio's type from its bytes (WAV, MP3, Ogg, WebM, FLAC, M4A/MP4,
 * AAC; 415 otherwise) and answers 503 `PROVIDER_NOT_CONFIGURED` when it has no voice provider.
 * Provider keys stay on the server: this call never carries one.
 *
 * @example
 * ```ts
 * const { transcript, confidence } = await client.voice.process(recordedBlob, { language: 'en' });
 * console.log(transcript, confidence);
 * ```
 */
export class Voice extends APIResource {
  /** `POST /api/voice/process`: transcribes recorded audio. */
  process(audio: VoiceAudioSource, params: VoiceProcessParams = {}): Promise<VoiceProcessResult> {
    const { provider, language, filename, ...options } = params;
    const body = new FormData();
    if (provider !== undefined) body.append('provider', provider);
    if (language !== undefined) body.append('language', language);
    body.append('audio', audio, filename ?? ((audio as File).name || 'audio'));
    return this.transport.request({
      method: 'POST',
      path: '/api/voice/process',
      body,
      schema: VoiceProcessResponse,
      ...options,
    });
  }
}
