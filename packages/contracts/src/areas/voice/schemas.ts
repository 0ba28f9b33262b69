/** @module Voice (seed 000): speech to text through a voice provider. */
import * as z from 'zod/mini';

/** Who turns speech into text: Deepgram's pre-recorded API or OpenAI's transcriptions. */
export const VoiceProviderName = z.enum(['deepgram', 'openai']);
export type VoiceProviderName = z.infer<typeof VoiceProviderName>;

/**
 * The optional text fields of the `POST /api/voice/process` form, beside the `audio` file: the
 * provider (default the server's configured one) and the spoken language as a BCP-47 tag (default:
 * the provider detects it).
 */
export const VoiceProcessFields = z.object({
  provider: z.optional(VoiceProviderName),
  language: z.optional(/*#__PURE__*/ z.string().check(z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/))),
});
export type VoiceProcessFields = z.infer<typeof VoiceProcessFields>;

/** The answer of `POST /api/voice/process`. */
export const VoiceProcessResponse = z.object({
  /** What was said; empty when the audio holds no speech. */
  transcript: z.string(),
  /** The provider's confidence in the transcript, 0 to 1; `null` when it reports none. */
  confidence: z.nullable(/*#__PURE__*/ z.number().check(z.gte(0), z.lte(1))),
  /** The audio's length in seconds; `null` when the provider reports none. */
  duration: z.nullable(/*#__PURE__*/ z.number().check(z.gte(0))),
  /** The spoken language (BCP-47, as the provider names it); `null` when it reports none. */
  language: z.nullable(z.string()),
  /** The provider that transcribed. */
  provider: VoiceProviderName,
});
export type VoiceProcessResponse = z.infer<typeof VoiceProcessResponse>;
