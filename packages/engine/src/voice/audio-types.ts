/**
 * @module Which audio the voice area takes: the type is read from the bytes by `file-type` (magic
 * numbers and container headers), never from the name or the declared type.
 */
import { fileTypeFromBuffer } from 'file-type';

/**
 * The containers a voice provider is sent, by the MIME type `file-type` reads from the bytes, with the
 * type the provider is told. A WebM or MP4 container is taken as audio: browsers' `MediaRecorder`
 * writes speech in both (Chromium and Firefox WebM, Safari MP4), and the bytes cannot tell an
 * audio-only file from a video.
 */
const audioTypes: Readonly<Record<string, string>> = {
  'audio/wav': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-wav': 'audio/wav',
  'audio/mpeg': 'audio/mpeg',
  'audio/ogg': 'audio/ogg',
  'audio/ogg; codecs=opus': 'audio/ogg',
  'audio/opus': 'audio/ogg',
  'audio/webm': 'audio/webm',
  'video/webm': 'audio/webm',
  'audio/flac': 'audio/flac',
  'audio/x-flac': 'audio/flac',
  'audio/x-m4a': 'audio/mp4',
  'audio/mp4': 'audio/mp4',
  'video/mp4': 'audio/mp4',
  'audio/aac': 'audio/aac',
};

/** The audio formats the voice area accepts, as the 415 answer names them. */
export const acceptedAudioFormats = ['WAV', 'MP3', 'Ogg (Opus, Vorbis)', 'WebM', 'FLAC', 'M4A/MP4', 'AAC'];

/** The bytes' audio type (`audio/wav`, `audio/webm`, ...), or `undefined` when they are not audio we take. */
export const audioTypeOf = async (bytes: Uint8Array): Promise<string | undefined> => {
  const detected = await fileTypeFromBuffer(bytes);
  return detected ? audioTypes[detected.mime] : undefined;
};
