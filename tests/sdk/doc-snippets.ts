/**
 * @module The TypeScript snippets of a Markdown guide, and a throwaway project that type-checks them
 * against the workspace's packages with the repository's own `tsc`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** One fenced `ts` block of a guide. */
export interface Snippet {
  /** The file name it gets in the project: `snippet-<line>.ts`. */
  file: string;
  /** The guide's line of the block's first code line. */
  line: number;
  code: string;
}

/** The ```ts and ```typescript blocks of a Markdown text, with where each starts. */
export const extractSnippets = (markdown: string): Snippet[] => {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  let open: { line: number; code: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open) {
      if (/^\s*```\s*$/.test(text)) {
        snippets.push({ file: `snippet-${open.line}.ts`, line: open.line, code: open.code.join('\n') });
        open = undefined;
      } else open.code.push(text);
    } else if (/^\s*```(ts|typescript)\b/.test(text)) open = { line: index + 2, code: [] };
  });
  return snippets;
};

/** The lines a snippet's file gets before the snippet's own, which diagnostics' lines are counted past. */
const header =
  '// Each snippet is a module of its own, so that top-level await works and names stay apart.\nexport {};\n';
const headerLines = header.split('\n').length - 1;

/** A diagnostic of `tsc`, placed in the guide. */
export interface SnippetDiagnostic {
  /** The guide's line. */
  line: number;
  column: number;
  code: string;
  message: string;
}

const workspacePaths = {
  '@cartrita/contracts': ['packages/contracts/src/index.ts'],
  '@cartrita/contracts/*': ['packages/contracts/src/*'],
  '@cartrita/sdk': ['packages/sdk/src/index.ts'],
  '@cartrita/sdk/core': ['packages/sdk/src/core/index.ts'],
  '@cartrita/sdk/realtime': ['packages/sdk/src/realtime/index.ts'],
  '@cartrita/sdk/*': ['packages/sdk/src/resources/*.ts'],
  '@cartrita/msw': ['packages/msw/src/index.ts'],
  '@cartrita/msw/node': ['packages/msw/src/node.ts'],
};

/**
 * Writes the snippets, with `globals` (a script declaring the names the guide's text leaves to the
 * reader, such as `client`), into a new project whose `@cartrita/*` are the workspace's sources, runs
 * the repository's `tsc` on it, and answers its diagnostics placed at the guide's lines. The project
 * has the repository's compiler options (strict, Node's and the DOM's types).
 */
export const typeCheckSnippets = async (
  snippets: Snippet[],
  globals: string,
): Promise<{ diagnostics: SnippetDiagnostic[]; output: string }> => {
  const dir = await mkdtemp(join(tmpdir(), 'cartrita-doc-snippets-'));
  try {
    await mkdir(join(dir, 'snippets'));
    await writeFile(join(dir, 'globals.d.ts'), globals);
    // ES modules, as the guide's readers write them (top-level await).
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    for (const snippet of snippets) {
      await writeFile(join(dir, 'snippets', snippet.file), `${header}${snippet.code}\n`);
    }
    const paths = Object.fromEntries(
      Object.entries(workspacePaths).map(([name, targets]) => [name, targets.map((to) => join(root, to))]),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'tsconfig.base.json'),
        compilerOptions: {
          noEmit: true,
          declaration: false,
          declarationMap: false,
          paths,
          typeRoots: [join(root, 'node_modules/@types')],
        },
        include: ['globals.d.ts', 'snippets/*.ts'],
      }),
    );
    const tsc = join(root, 'node_modules/.bin/tsc');
    const output = await promisify(execFile)(tsc, ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => stdout + stderr,
      (failed: { stdout?: string; stderr?: string }) => `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    );
    const byFile = new Map(snippets.map((snippet) => [snippet.file, snippet]));
    const diagnostics: SnippetDiagnostic[] = [];
    for (const match of output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)) {
      const [, file = '', line = '0', column = '0', code = '', message = ''] = match;
      const snippet = byFile.get(file.split(/[\\/]/).pop() ?? '');
      diagnostics.push({
        // A diagnostic outside the snippets (the globals, a package) keeps its own line, negated.
        line: snippet ? snippet.line + Number(line) - 1 - headerLines : -Number(line),
        column: Number(column),
        code,
        message: snippet ? message : `${file}: ${message}`,
      });
    }
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { diagnostics, output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
