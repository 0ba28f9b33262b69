/**
 * Builds the widget's script-tag files from its compiled ESM (`packages/widget/dist`, made by tsc):
 *
 * - `cartrita-chat.js`: one classic script (an IIFE) that defines `<cartrita-chat>` when it runs, so
 *   `<script src=".../cartrita-chat.js"></script>` works without `type="module"` or a build step;
 * - `cartrita-chat.highlight.js` and `cartrita-chat.locale-<code>.js`: ES modules loaded on demand
 *   (the syntax highlighter on the first code block, a translation when the page speaks it). An IIFE
 *   cannot be code-split, so these are built on their own and the IIFE's `import()` of them is rewritten
 *   to a URL next to the script (`document.currentScript.src`); `import()` works in classic scripts.
 *
 * Run by the widget's `build` script after `tsc`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const root = dirname(fileURLToPath(import.meta.url));
const widget = join(root, 'packages/widget');
const dist = join(widget, 'dist');

/** Modules of `dist` that load lazily, and the file each becomes. */
const lazy = new Map([
  [join(dist, 'markdown/highlight.js'), 'cartrita-chat.highlight.js'],
  ...['ar', 'de', 'es', 'fr', 'ja'].map((code) => [
    join(dist, `locales/${code}.js`),
    `cartrita-chat.locale-${code}.js`,
  ]),
]);
const lazyFiles = new Set(lazy.values());

const resolve = () => nodeResolve({ browser: true, exportConditions: ['browser'], rootDir: widget });

const minify = () => terser({ ecma: 2022, compress: { passes: 2 }, format: { comments: false } });

/**
 * Stand-ins that keep the script-tag file within its 40 KB budget (the ESM build keeps the real
 * packages; each stand-in has a test that holds it to the real one's behaviour):
 * - `ky`: the SDK calls it only to build a URL and body and run one fetch (its own transport does
 *   retries, timeouts and errors); `ky-lite.ts` does that in 30 lines instead of ky's 8 KB gzip;
 * - `zod/mini`: the contracts' schemas run against `zod-lite.ts`, a structural validator (shapes,
 *   literals, unions, defaults; no refinements) of about 1 KB instead of zod's 8 KB;
 * - `eventsource-parser`: `sse-lite.ts`, the SSE line format with the callbacks the SDK uses
 *   (0.5 KB instead of 1.5 KB).
 */
const standInFiles = {
  ky: 'bundle/ky-lite.js',
  'zod/mini': 'bundle/zod-lite.js',
  'eventsource-parser': 'bundle/sse-lite.js',
};
const standIns = {
  name: 'cartrita-stand-ins',
  resolveId: (id) => (Object.hasOwn(standInFiles, id) ? join(dist, standInFiles[id]) : null),
};

/** Leaves the lazy modules out of the IIFE and loads them from next to the script instead. */
const lazyImports = {
  name: 'cartrita-lazy-imports',
  async resolveDynamicImport(specifier, importer) {
    if (typeof specifier !== 'string') return null;
    const resolved = await this.resolve(specifier, importer, { skipSelf: true });
    const file = resolved && lazy.get(resolved.id);
    return file ? { id: file, external: true } : null;
  },
  renderDynamicImport({ targetModuleId }) {
    return targetModuleId && lazyFiles.has(targetModuleId)
      ? { left: 'import(__cartritaBase+', right: ')' }
      : null;
  },
};

// Where the script came from: `document.currentScript` while a classic script runs, else (a module
// script, or a copy loaded late) the first script element whose URL names the file.
const intro = `var __cartritaScriptUrl = typeof document == 'undefined' ? '' :
  (document.currentScript || document.querySelector('script[src*="cartrita-chat"]') || {}).src || '';
var __cartritaBase = __cartritaScriptUrl && new URL('.', __cartritaScriptUrl).href;`;

const onwarn = (warning, warn) => {
  // A schema function the stand-in lacks would be undefined at run time: fail the build instead.
  if (warning.code === 'MISSING_EXPORT') throw new Error(warning.message);
  if (warning.code === 'INVALID_ANNOTATION' || warning.code === 'CIRCULAR_DEPENDENCY') return;
  warn(warning);
};

/**
 * marked ships one pre-minified module whose last statements build a default `marked` instance and
 * hang helpers on it; that keeps the parser, the renderer and the instance in every bundle (about
 * 3 KB gzip) although the widget only uses `Lexer` and `Tokenizer`. This drops those statements and
 * the exports that name them. When marked's layout changes the code is left as it is (the budget test
 * notices), and an import of a dropped export fails the build (MISSING_EXPORT).
 */
const markedLexerOnly = {
  name: 'cartrita-marked-lexer-only',
  transform(code, id) {
    if (!/[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/.test(id)) return null;
    const start = code.search(/var (\w+)=new \w+;function (\w+)\(\w+,\w+\)\{return \1\.parse\(/);
    const end = code.lastIndexOf('export{');
    if (start === -1 || end < start) return null;
    const dropped = code.slice(start, end);
    const gone = new Set([...dropped.matchAll(/(?:\bvar |\bfunction |,)(\w+)=?/g)].map((m) => m[1]));
    const tail = code.slice(end).replace(
      /export\{([^}]*)\}/,
      (_all, list) =>
        `export{${list
          .split(',')
          .filter((entry) => !gone.has(entry.split(' as ')[0].trim()))
          .join(',')}}`,
    );
    return { code: code.slice(0, start) + tail, map: null };
  },
};

/**
 * Lit templates keep their source indentation as text; this collapses it in the widget's own
 * `html`, `svg` and `css` templates: whitespace with a line break between two tags goes, other runs
 * become one space (what HTML and CSS render anyway), and CSS loses the spaces around its
 * punctuation. Template expressions are untouched, so the parts Lit binds stay the same.
 */
const compactTemplates = {
  name: 'cartrita-compact-templates',
  transform(code, id) {
    if (!id.startsWith(join(dist, 'components')) || !/\b(?:html|svg|css)\s*`/.test(code)) return null;
    const edits = [];
    const visit = (node) => {
      if (!node || typeof node.type !== 'string') return;
      if (node.type === 'TaggedTemplateExpression' && ['html', 'svg', 'css'].includes(node.tag.name)) {
        const isCss = node.tag.name === 'css';
        for (const quasi of node.quasi.quasis) {
          const raw = code.slice(quasi.start, quasi.end);
          let text = raw.replace(/>\s*\n\s*</g, '><').replace(/\s+/g, ' ');
          if (isCss) text = text.replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':');
          if (text !== raw) edits.push([quasi.start, quasi.end, text]);
        }
      }
      for (const value of Object.values(node)) {
        if (Array.isArray(value)) for (const child of value) visit(child);
        else if (value && typeof value === 'object') visit(value);
      }
    };
    visit(this.parse(code));
    let out = code;
    for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
      out = out.slice(0, start) + text + out.slice(end);
    }
    return { code: out, map: null };
  },
};

/** highlight.js's ESM entry re-exports its CommonJS core; wrap that one file as a module. */
const highlightCore = {
  name: 'cartrita-highlight-core',
  transform: (code, id) =>
    /highlight\.js[\\/]lib[\\/]core\.js$/.test(id)
      ? {
          code: `var module = { exports: {} }, exports = module.exports;\n${code}\nexport default module.exports;`,
          map: null,
        }
      : null,
};

export default [
  {
    input: join(dist, 'script-tag.js'),
    output: {
      file: join(dist, 'cartrita-chat.js'),
      format: 'iife',
      name: 'Cartrita',
      intro,
      sourcemap: true,
    },
    plugins: [standIns, markedLexerOnly, compactTemplates, lazyImports, resolve(), minify()],
    onwarn,
  },
  ...[...lazy].map(([input, file]) => ({
    input,
    output: { file: join(dist, file), format: 'es', sourcemap: true },
    plugins: [highlightCore, resolve(), minify()],
    onwarn,
  })),
];
