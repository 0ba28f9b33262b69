import { expect, it } from 'vitest';
import { configFlags } from '../config.js';
import { flagHelp } from './flag-help.js';

it('lists every flag loadConfig reads, with its environment variable and default', () => {
  const help = flagHelp();
  expect([...help.matchAll(/^ {2}(--[a-z-]+) </gm)].map((match) => match[1])).toEqual([...configFlags]);
  const joined = help.replace(/\n {4,}/g, ' ');
  expect(joined).toContain('--host <host>');
  expect(joined).toMatch(/--port <port> +Port to listen on; 0 picks a free one \(API_PORT, default 8000\)/);
  expect(joined).toMatch(/--config <config> +The YAML file to read \(CARTRITA_CONFIG\)/);
});

it('keeps a description that starts with a value as written, and wraps long ones under their option', () => {
  const lines = flagHelp([['-h, --help', 'Show this help']], 80).split('\n');
  expect(lines.filter((line) => line.length > 80)).toEqual([]);
  const start = lines.findIndex((line) => line.startsWith('  --log-level <log-level>'));
  expect(lines[start]).toMatch(/<log-level> +trace, debug, info,/);
  const column = (lines[start] as string).indexOf('trace');
  expect(lines[start + 1]?.slice(0, column).trim()).toBe('');
  expect(lines.at(-1)).toMatch(/^ {2}-h, --help +Show this help$/);
});
