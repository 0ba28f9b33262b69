import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { Secret } from './config.js';
import { createLogger, redactUrl } from './logger.js';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
};

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

it('redacts credential headers in a logged request', () => {
  const { lines, destination } = capture();
  const logger = createLogger({ level: 'info' }, { destination });
  logger.info(
    {
      req: {
        headers: {
          authorization: 'Bearer ck_secret',
          'x-api-key': 'ck_secret2',
          'x-session-token': 'cks_secret3',
          accept: 'application/json',
        },
      },
    },
    'hello',
  );
  const text = JSON.stringify(lines);
  expect(text).not.toMatch(/ck_secret|cks_secret3/);
  expect(lines[0]?.req).toEqual({
    headers: {
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      'x-session-token': '[REDACTED]',
      accept: 'application/json',
    },
  });
});

it('redacts client_secret and api_key fields at the top level and one or two levels down', () => {
  const { lines, destination } = capture();
  const logger = createLogger({ level: 'info' }, { destination });
  logger.info(
    { client_secret: 'a1', session: { client_secret: 'a2' }, body: { provider: { api_key: 'a3' } } },
    'x',
  );
  expect(JSON.stringify(lines)).not.toMatch(/"a[123]"/);
});

it('never prints a Secret from the configuration', () => {
  const { lines, destination } = capture();
  const logger = createLogger({ level: 'info' }, { destination });
  logger.info({ security: { signing: new Secret('super-secret-value') } }, 'config');
  expect(JSON.stringify(lines)).not.toContain('super-secret-value');
});

it('logs a request object as method, redacted URL and id only', () => {
  const { lines, destination } = capture();
  const logger = createLogger({ level: 'info' }, { destination });
  const req = {
    id: 'req_1',
    method: 'GET',
    url: '/api/chat/stream?message=hi&access_token=cks_abc',
    headers: { authorization: 'Bearer x' },
    socket: { remoteAddress: '127.0.0.1' },
  };
  logger.info({ req }, 'request');
  expect(lines[0]?.req).toEqual({
    id: 'req_1',
    method: 'GET',
    url: '/api/chat/stream?message=hi&access_token=[REDACTED]',
    remoteAddress: '127.0.0.1',
  });
});

it('respects the level and writes to a file when one is configured', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cartrita-log-'));
  dirs.push(dir);
  const file = join(dir, 'nested', 'api.log');
  const logger = createLogger({ level: 'warn', file });
  logger.info('not written');
  logger.warn('written');
  // The file is opened and written asynchronously; wait for the line to land.
  let text = '';
  for (let attempt = 0; attempt < 100 && !text.includes('written'); attempt++) {
    await new Promise((done) => setTimeout(done, 20));
    logger.flush();
    text = await readFile(file, 'utf8').catch(() => '');
  }
  expect(text).toContain('"msg":"written"');
  expect(text).not.toContain('not written');
});

it('strips credentials from query strings and keeps everything else', () => {
  expect(redactUrl('/a?access_token=cks_1&x=1#frag')).toBe('/a?access_token=[REDACTED]&x=1#frag');
  expect(redactUrl('/a?x=1&ACCESS_TOKEN=t&client_secret=s&api_key=k&token=z')).toBe(
    '/a?x=1&ACCESS_TOKEN=[REDACTED]&client_secret=[REDACTED]&api_key=[REDACTED]&token=[REDACTED]',
  );
  expect(redactUrl('/a?access%5Ftoken=t')).toBe('/a?access%5Ftoken=[REDACTED]');
  expect(redactUrl('https://h.example/p?q=access_token')).toBe('https://h.example/p?q=access_token');
  expect(redactUrl('/plain/path')).toBe('/plain/path');
});

it('redacts credentials by name wherever they stand: query, matrix parameters, any spelling', () => {
  expect(redactUrl('/a?key=1&apikey=2&password=3&session_token=4&sig=5&signature=6&expires=7')).toBe(
    '/a?key=[REDACTED]&apikey=[REDACTED]&password=[REDACTED]&session_token=[REDACTED]&sig=[REDACTED]&signature=[REDACTED]&expires=7',
  );
  expect(redactUrl('/files;access_token=abc/x;v=1?q=1;auth=2')).toBe(
    '/files;access_token=[REDACTED]/x;v=1?q=1;auth=[REDACTED]',
  );
  expect(redactUrl('/a?X-Api-Key=1&PassWord=2')).toBe('/a?X-Api-Key=[REDACTED]&PassWord=[REDACTED]');
});

it('redacts values shaped like our keys and secrets wherever they stand', () => {
  const secret = 'cks_eyJ2IjoxfQ.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  const key = 'ck_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
  expect(redactUrl(`/api/chat/responses/${key}/cancel`)).toBe('/api/chat/responses/[REDACTED]/cancel');
  expect(redactUrl(`/x/${encodeURIComponent(secret)}?q=1`)).toBe('/x/[REDACTED]?q=1');
  expect(redactUrl(`/x?note=${encodeURIComponent(`Bearer ${secret}`)}&y=2`)).toBe('/x?note=[REDACTED]&y=2');
  expect(redactUrl(`/x?${key}`)).toBe('/x?[REDACTED]');
  expect(redactUrl('/threads/thr_0123456789abcdef?after=msg_1')).toBe(
    '/threads/thr_0123456789abcdef?after=msg_1',
  );
});

it('redacts configured keys of any shape through isSecret', () => {
  const configured = 'my-own-format-key-0001';
  const isSecret = (value: string) => value === configured;
  expect(redactUrl(`/x/${configured}?a=${configured}&b=1`, { isSecret })).toBe(
    '/x/[REDACTED]?a=[REDACTED]&b=1',
  );
  expect(redactUrl(`/x/${configured}`)).toBe(`/x/${configured}`);
});
