/** @module Dictation: record with `MediaRecorder`, transcribe with `input.transcribe`. */
import type { ChatKit } from '@cartrita/sdk/chatkit';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Reads a blob as base64, without the `data:` prefix. */
export const toBase64 = (blob: Blob): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });

/** Whether this browser can record audio at all. */
export const canRecord = (): boolean =>
  typeof MediaRecorder !== 'undefined' && !!globalThis.navigator?.mediaDevices?.getUserMedia;

/**
 * Records the microphone until `stop()`, then sends the audio to `input.transcribe` and hands the text
 * to `onText`. Only offered when the session reports `capabilities.transcription`.
 */
export class VoiceController implements ReactiveController {
  /** Where dictation stands. */
  state: 'idle' | 'recording' | 'transcribing' = 'idle';
  /** The last dictation failed (no microphone permission, transcription error). */
  failed = false;

  readonly #host: ReactiveControllerHost;
  readonly #client: () => ChatKit | undefined;
  readonly #onText: (text: string) => void;
  #recorder: MediaRecorder | undefined;
  #life = new AbortController();

  constructor(
    host: ReactiveControllerHost,
    client: () => ChatKit | undefined,
    onText: (text: string) => void,
  ) {
    this.#host = host;
    this.#client = client;
    this.#onText = onText;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#life.signal.aborted) this.#life = new AbortController();
  }

  hostDisconnected(): void {
    this.#life.abort();
    this.#recorder?.stop();
  }

  /** Starts recording, or stops and transcribes when recording. */
  async toggle(): Promise<void> {
    if (this.state === 'recording') {
      this.#recorder?.stop();
      return;
    }
    if (this.state !== 'idle') return;
    this.failed = false;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      recorder.ondataavailable = (event) => chunks.push(event.data);
      recorder.onstop = () => {
        for (const track of stream.getTracks()) track.stop();
        void this.#transcribe(new Blob(chunks, { type: recorder.mimeType || 'audio/webm' }));
      };
      this.#recorder = recorder;
      recorder.start();
      this.state = 'recording';
    } catch {
      this.failed = true;
    }
    this.#host.requestUpdate();
  }

  async #transcribe(audio: Blob): Promise<void> {
    this.#recorder = undefined;
    this.state = 'transcribing';
    this.#host.requestUpdate();
    try {
      const client = this.#client();
      if (client && audio.size > 0 && !this.#life.signal.aborted) {
        const { text } = await client.input.transcribe(
          { audio_base64: await toBase64(audio), mime_type: audio.type },
          { signal: this.#life.signal },
        );
        if (text) this.#onText(text);
      }
    } catch {
      this.failed = true;
    }
    this.state = 'idle';
    this.#host.requestUpdate();
  }
}
