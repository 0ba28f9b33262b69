import { describe, expect, it } from 'vitest';
import { path } from './path.js';

describe('path', () => {
  it('leaves a path without values as it is', () => {
    expect(path`/api/health`).toBe('/api/health');
  });

  it('encodes every interpolated segment', () => {
    expect(path`/api/sessions/${'sess 1'}/tools/${'a/b?c#d'}`).toBe(
      '/api/sessions/sess%201/tools/a%2Fb%3Fc%23d',
    );
  });

  it('writes numbers as they are', () => {
    expect(path`/api/messages/${42}`).toBe('/api/messages/42');
  });

  it('rejects dot segments, which would climb the path even when encoded', () => {
    expect(() => path`/files/${'..'}/status`).toThrow(TypeError);
    expect(() => path`/files/${'.'}/status`).toThrow(TypeError);
    expect(path`/files/${'...'}`).toBe('/files/...');
  });

  it('rejects empty and missing segments', () => {
    expect(() => path`/api/sessions/${''}`).toThrow(TypeError);
    expect(() => path`/api/sessions/${undefined as unknown as string}`).toThrow(
      /must be a string or a number/,
    );
  });
});
