import { defineRoute } from '../../route.js';
import { VoiceProcessFields, VoiceProcessResponse } from './schemas.js';

/** Voice (seed 000). */
export const voiceRoutes = [
  defineRoute({
    id: 'voice.process',
    method: 'POST',
    path: '/api/voice/process',
    tag: 'voice',
    summary: 'Transcribe recorded speech (multipart field `audio`)',
    description:
      'The audio’s type is read from its bytes: WAV, MP3, Ogg (Opus or Vorbis), WebM, FLAC, M4A/MP4 ' +
      'or AAC; any other is 415, and audio over the size limit 413. Optional text fields: `provider` ' +
      '(`deepgram` or `openai`; default the server’s voice provider) and `language` (a BCP-47 tag; ' +
      'default detected). Without a configured voice provider the answer is 503 `PROVIDER_NOT_CONFIGURED`.',
    auth: { scope: 'voice' },
    bodyType: 'multipart',
    files: ['audio'],
    formFields: VoiceProcessFields,
    response: { json: VoiceProcessResponse, nulls: true },
    errors: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR'],
  }),
] as const;
