/**
 * @module The voice area's rules (seed 000): the audio's type from its bytes, then the chosen provider;
 * a provider without its key is a 503, never a call elsewhere. ChatKit's `input.transcribe` uses the
 * same rules and providers.
 */
import {
  type VoiceProcessFields as VoiceFields,
  VoiceProcessFields,
  type VoiceProcessResponse,
} from '@cartrita/contracts';
import { HttpError, toHttpError } from '../errors.js';
import { directCall, type UpstreamCall } from '../providers/upstream-call.js';
import { acceptedAudioFormats, audioTypeOf } from './audio-types.js';
import type { Transcription, VoiceProvider } from './provider.js';

/** The largest audio taken by default: 25 MiB, OpenAI's limit for a transcription. */
export const defaultVoiceMaxBytes = 25 * 1024 * 1024;

/** Options of {@link VoiceService}. */
export interface VoiceServiceOptions {
  /** The configured providers; none, and every transcription is a 503. */
  providers?: readonly VoiceProvider[];
  /** The provider of requests that name none; default the first configured. */
  default?: string;
  /** The largest audio, in bytes; default {@link defaultVoiceMaxBytes}. */
  maxBytes?: number;
  /** What every transcription goes through (limits, spans, metrics); default nothing. */
  call?: UpstreamCall;
}

/** One `POST /api/voice/process`: the form's `audio` bytes and its text fields. */
export interface VoiceRequest {
  /** The bytes of the `audio` field; `undefined` when the form has none. */
  audio: Uint8Array | undefined;
  /** The form's text fields (`provider`, `language`); others are ignored. */
  fields?: Record<string, unknown>;
  signal?: AbortSignal;
}

/** Speech to text: `POST /api/voice/process` and ChatKit's `input.transcribe`. */
export class VoiceService {
  readonly #providers = new Map<string, VoiceProvider>();
  readonly #default: string | undefined;
  readonly #call: UpstreamCall;
  /** The largest audio taken, in bytes. */
  readonly maxBytes: number;

  constructor(options: VoiceServiceOptions = {}) {
    for (const provider of options.providers ?? []) this.#providers.set(provider.name, provider);
    this.#default = options.default ?? options.providers?.[0]?.name;
    if (this.#default !== undefined && !this.#providers.has(this.#default)) {
      throw new Error(`The default voice provider "${this.#default}" is not configured.`);
    }
    this.maxBytes = options.maxBytes ?? defaultVoiceMaxBytes;
    this.#call = options.call ?? directCall;
  }

  /** Whether any voice provider is configured: what a ChatKit session reports as `transcription`. */
  get available(): boolean {
    return this.#providers.size > 0;
  }

  /** `POST /api/voice/process`: checks the form and the audio, then transcribes with the chosen provider. */
  async process(request: VoiceRequest): Promise<VoiceProcessResponse> {
    if (request.audio === undefined) {
      throw HttpError.validation(
        [{ path: 'audio', message: 'Required' }],
        'The form has no file in the field "audio".',
      );
    }
    const fields = parseFields(request.fields ?? {});
    const { provider, transcription } = await this.#transcribe(request.audio, fields, request.signal);
    return { ...transcription, provider: provider.name };
  }

  /**
   * ChatKit's `input.transcribe`: base64 audio in, its text out. The declared MIME type is not
   * trusted: the bytes decide, as on `POST /api/voice/process`.
   */
  async transcribeBase64(audioBase64: string, signal?: AbortSignal): Promise<{ text: string }> {
    const bytes = decodeBase64(audioBase64);
    if (bytes === undefined) {
      throw HttpError.validation(
        [{ path: 'params.audio_base64', message: 'Not valid base64' }],
        'The audio is not valid base64.',
      );
    }
    const { transcription } = await this.#transcribe(bytes, {}, signal);
    return { text: transcription.transcript };
  }

  async #transcribe(
    bytes: Uint8Array,
    fields: VoiceFields,
    signal: AbortSignal | undefined,
  ): Promise<{ provider: VoiceProvider; transcription: Transcription }> {
    if (bytes.byteLength > this.maxBytes) {
      throw new HttpError(
        'PAYLOAD_TOO_LARGE',
        `The file is larger than the limit of ${this.maxBytes} bytes.`,
        {
          details: { max_bytes: this.maxBytes },
        },
      );
    }
    const mimeType = await audioTypeOf(bytes);
    if (mimeType === undefined) {
      throw new HttpError(
        'UNSUPPORTED_MEDIA_TYPE',
        `The file is not audio of an accepted format (${acceptedAudioFormats.join(', ')}).`,
        { details: { accepted: acceptedAudioFormats } },
      );
    }
    const provider = this.#provider(fields.provider);
    // Audio is not a cache key worth keeping: each recording is transcribed once.
    const transcription = await this.#call(
      { provider: provider.name, operation: 'transcription', ...(signal ? { signal } : {}) },
      () =>
        provider.transcribe(
          { bytes, mimeType },
          { ...(fields.language ? { language: fields.language } : {}), ...(signal ? { signal } : {}) },
        ),
    );
    return { provider, transcription };
  }

  #provider(name: string | undefined): VoiceProvider {
    const chosen = name ?? this.#default;
    const provider = chosen === undefined ? undefined : this.#providers.get(chosen);
    if (!provider) {
      throw new HttpError(
        'PROVIDER_NOT_CONFIGURED',
        chosen === undefined
          ? 'No voice provider is configured on this server.'
          : `The ${chosen} voice provider has no API key configured here.`,
        {
          details: {
            ...(chosen === undefined ? {} : { provider: chosen }),
            configured: [...this.#providers.keys()],
          },
        },
      );
    }
    return provider;
  }
}

/** The form's `provider` and `language`, or a 422 naming the field that is wrong. */
const parseFields = (fields: Record<string, unknown>): VoiceFields => {
  const wanted = {
    ...(fields.provider === undefined ? {} : { provider: fields.provider }),
    ...(fields.language === undefined ? {} : { language: fields.language }),
  };
  const result = VoiceProcessFields.safeParse(wanted);
  if (result.success) return result.data;
  throw toHttpError(result.error);
};

/** Standard base64 (padded or not) as bytes, or `undefined` when it is not base64. */
const decodeBase64 = (text: string): Uint8Array | undefined => {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  try {
    const binary = atob(compact);
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
};
