import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));
const sources = (readdirSync(root, { recursive: true }) as string[])
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));

const imported = (text: string) =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] as string);

/** The file parsers of `@cartrita/engine/extract`: optional peers, loaded only when first used. */
const lazyParsers = /^(unpdf|officeparser|tesseract\.js)$/;
const loadedLazily = (text: string, specifier: string) =>
  text.includes(`await import('${specifier}')`) && !text.includes(`from '${specifier}'`);

it('imports nothing of Node, of HTTP servers or of the mocks, so it runs in a browser', () => {
  const node = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const allowed =
    /^(\.{1,2}\/|@cartrita\/contracts$|zod\/|file-type$|@cfworker\/json-schema$|quickjs-emscripten-core$|@jitl\/quickjs-wasmfile-release-sync$)/;
  const offending = sources.flatMap(({ file, text }) =>
    imported(text)
      .filter((specifier) => node.has(specifier) || !allowed.test(specifier))
      .filter(
        (specifier) =>
          !(file.startsWith('extract/') && lazyParsers.test(specifier) && loadedLazily(text, specifier)),
      )
      .map((specifier) => `${file}: ${specifier}`),
  );
  expect(offending).toEqual([]);
  expect(sources.length).toBeGreaterThan(30);
});

it('uses no Node globals: Web Crypto, TextEncoder and timers only', () => {
  const offending = sources
    .filter(({ text }) =>
      /\b(Buffer\s*[.(]|process\s*\.|__dirname|require\s*\()/.test(
        text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
      ),
    )
    .map(({ file }) => file);
  expect(offending).toEqual([]);
});
