// @vitest-environment happy-dom
import { ChatKit } from '@cartrita/sdk/chatkit';
import { Transport } from '@cartrita/sdk/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeHost, fakeFetch, json, settle } from '../../../../tests/widget/fake-chatkit.js';
import { toBase64, VoiceController } from './voice-controller.js';

class FakeRecorder {
  static last: FakeRecorder | undefined;
  mimeType = 'audio/webm;codecs=opus';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  constructor(readonly stream: unknown) {
    FakeRecorder.last = this;
  }
  start() {}
  stop() {
    this.ondataavailable?.({ data: new Blob(['voice'], { type: this.mimeType }) });
    this.onstop?.();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('VoiceController', () => {
  it('reads a blob as bare base64', async () => {
    expect(await toBase64(new Blob(['hello']))).toBe(btoa('hello'));
  });

  it('records until stopped, then transcribes and hands over the text', async () => {
    const stopTrack = vi.fn();
    vi.stubGlobal('MediaRecorder', FakeRecorder);
    vi.stubGlobal('navigator', {
      mediaDevices: { getUserMedia: async () => ({ getTracks: () => [{ stop: stopTrack }] }) },
    });
    const { fetch, calls } = fakeFetch(() => json({ text: 'hello there' }));
    const client = new ChatKit(new Transport({ baseURL: 'http://chat.test', fetch }));
    const host = new FakeHost();
    const onText = vi.fn();
    const voice = new VoiceController(host, () => client, onText);
    host.connect();

    await voice.toggle();
    expect(voice.state).toBe('recording');
    await voice.toggle();
    for (let i = 0; i < 50 && voice.state !== 'idle'; i++) await settle(5);
    expect(stopTrack).toHaveBeenCalled();
    expect(calls[0]?.body).toEqual({
      type: 'input.transcribe',
      params: { audio_base64: btoa('voice'), mime_type: 'audio/webm;codecs=opus' },
    });
    expect(onText).toHaveBeenCalledWith('hello there');
  });

  it('reports a refused microphone and stays idle', async () => {
    vi.stubGlobal('MediaRecorder', FakeRecorder);
    vi.stubGlobal('navigator', {
      mediaDevices: {
        getUserMedia: async () => {
          throw new DOMException('Denied', 'NotAllowedError');
        },
      },
    });
    const host = new FakeHost();
    const voice = new VoiceController(host, () => undefined, vi.fn());
    host.connect();
    await voice.toggle();
    expect(voice.failed).toBe(true);
    expect(voice.state).toBe('idle');
  });
});
