/** @module The voice provider port: audio in, a transcript out. */
import type { VoiceProviderName } from '@cartrita/contracts';

/** Audio to transcribe: its bytes and the type read from them. */
export interface Audio {
  bytes: Uint8Array;
  /** The type `audioTypeOf` read from the bytes (`audio/webm`), never the caller's declared one. */
  mimeType: string;
}

/** What a transcription is asked besides the audio. */
export interface TranscribeOptions {
  /** The spoken language as a BCP-47 tag; absent, the provider detects it. */
  language?: string;
  /** Aborted when the client goes away: the provider must stop its upstream call. */
  signal?: AbortSignal;
}

/** A provider's transcript, with what it reports about the audio. */
export interface Transcription {
  transcript: string;
  /** 0 to 1, or `null` when the provider reports no confidence. */
  confidence: number | null;
  /** Seconds, or `null`. */
  duration: number | null;
  /** BCP-47, or `null`. */
  language: string | null;
}

/**
 * A speech-to-text backend. Failures are `HttpError`s: `PROVIDER_ERROR` (502) for what the upstream
 * service did wrong, `RATE_LIMITED` (429, with `Retry-After`) when it limits this server.
 */
export interface VoiceProvider {
  readonly name: VoiceProviderName;
  transcribe(audio: Audio, options?: TranscribeOptions): Promise<Transcription>;
}
