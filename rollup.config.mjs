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
import { minify as oxcMinifyCode } from 'oxc-minify';

const root = dirname(fileURLToPath(import.meta.url));
const widget = join(root, 'packages/widget');
const dist = join(widget, 'dist');

/** The translations, each a file of its own (`packages/widget/src/locales/index.ts` loads them). */
const locales = [
  'ar',
  'de',
  'es',
  'fa',
  'fr',
  'he',
  'hi',
  'id',
  'it',
  'ja',
  'ko',
  'nl',
  'pl',
  'pt',
  'ru',
  'sv',
  'tr',
  'uk',
  'vi',
  'zh',
];

/** Modules of `dist` that load lazily, and the file each becomes. */
const lazy = new Map([
  [join(dist, 'markdown/highlight.js'), 'cartrita-chat.highlight.js'],
  [join(dist, 'components/widgets/catalogue.js'), 'cartrita-chat.widgets.js'],
  [join(dist, 'components/commands/commands-menu.js'), 'cartrita-chat.commands.js'],
  [join(dist, 'components/entities/entities.js'), 'cartrita-chat.entities.js'],
  ...locales.map((code) => [join(dist, `locales/${code}.js`), `cartrita-chat.locale-${code}.js`]),
]);
const lazyFiles = new Set(lazy.values());

const resolve = () => nodeResolve({ browser: true, exportConditions: ['browser'], rootDir: widget });

const minify = () => terser({ ecma: 2022, compress: { passes: 3 }, format: { comments: false } });

/**
 * A second minifier after terser, for the script-tag file only: oxc's compressor and mangler find
 * what terser's leave (they fold other patterns and pick names that gzip better), about 0.5 KB gzip
 * on the script-tag file. Each pass runs on the other's output, so both must be correct; the browser
 * suites run against the result.
 */
const oxcMinify = () => ({
  name: 'cartrita-oxc-minify',
  async renderChunk(code, chunk) {
    const result = await oxcMinifyCode(chunk.fileName, code, {
      compress: { target: 'es2022' },
      mangle: true,
      sourcemap: true,
    });
    if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('\n'));
    return { code: result.code, map: result.map };
  },
});

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
  // An import of something a module does not export would be undefined at run time: fail the build.
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
 * Members of the SDK's classes that the widget never calls, by module and class. Rollup keeps every
 * method of a class it keeps, so without this the script-tag file would carry them (about 1 KB gzip):
 * the streams' `tee()`, conversions and accessors, `requestRaw()` and the transport's getters for
 * uploads and resumable streams, the call promise's `withResponse()`, `asResponse()` and `mapData()`,
 * and the download, upload and generic request methods of the ChatKit resource. The ESM build and every Node user keep the whole SDK.
 * Each listed member must exist (a rename fails the build); a widget that starts calling one of them
 * must take it off this list.
 */
const sdkUnusedMembers = {
  'core/stream.js': {
    Stream: ['fromReadableStream', 'tee', 'toReadableStream', 'signal', 'headers', 'lastEventId'],
  },
  'core/request.js': {
    Transport: ['baseURL', 'callDefaults', 'hasOwnFetch', 'streamTotalTimeout', 'requestRaw'],
  },
  'core/api-promise.js': { APIPromise: ['withResponse', 'mapData', 'asResponse'] },
  'resources/chatkit.js': {
    ChatKit: ['request'],
    ChatKitAttachments: ['upload', 'uploadBytes', 'preview'],
  },
};
const sdkDist = join(root, 'packages/sdk/dist');

const sdkWidgetSubset = {
  name: 'cartrita-sdk-widget-subset',
  transform(code, id) {
    const file = Object.keys(sdkUnusedMembers).find((name) => id === join(sdkDist, name));
    if (!file) return null;
    const edits = [];
    walk(this.parse(code), (node) => {
      if (node.type !== 'ClassDeclaration' || !Object.hasOwn(sdkUnusedMembers[file], node.id.name)) return;
      const names = sdkUnusedMembers[file][node.id.name];
      for (const name of names) {
        const member = node.body.body.find((m) => m.type === 'MethodDefinition' && m.key.name === name);
        if (!member) throw new Error(`${file}: ${node.id.name} has no member ${name} any more`);
        edits.push([member.start, member.end]);
      }
    });
    const expected = Object.values(sdkUnusedMembers[file]).flat().length;
    if (edits.length !== expected) throw new Error(`${file}: a class listed in sdkUnusedMembers is missing`);
    let out = code;
    for (const [start, end] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + out.slice(end);
    return { code: out, map: null };
  },
};

/**
 * The SDK's log, as the widget has it: always off. The element never passes `logLevel` or `logger` to
 * its transport and a page has no `CARTRITA_LOG`, so the log is off in every widget anyway; without
 * this the script-tag file would still carry the levels and the redaction of debug lines (about 0.4 KB
 * gzip). Nothing can be logged, so nothing needs redacting: the redactors say so. An export the SDK
 * adds to its log module and imports elsewhere fails the build here (MISSING_EXPORT), and so does a
 * widget module that starts configuring the log.
 */
const sdkWidgetLogOff = {
  name: 'cartrita-sdk-widget-log-off',
  transform(code, id) {
    if (id.startsWith(dist) && /\blogLevel\b|\blogger\s*:/.test(code)) {
      throw new Error(`${id} configures the SDK's log, which the script-tag file leaves out`);
    }
    return null;
  },
  load(id) {
    if (id !== join(sdkDist, 'core/logger.js')) return null;
    return `const off = () => {};
const offLogger = { error: off, warn: off, info: off, debug: off, enabled: () => false };
export const levelLogger = () => offLogger;
export const redactText = () => '[redacted]';
export const redactUrl = redactText;
export const redactHeaders = () => ({});`;
  },
};

/** Calls `visit` on every node of an ESTree AST. */
const walk = (node, visit) => {
  if (!node || typeof node.type !== 'string') return;
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) walk(child, visit);
    else if (value && typeof value === 'object') walk(value, visit);
  }
};

/** Imports an ES module from its source text (marked's module imports nothing). */
const importSource = (code) => import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

/** Markdown the rewritten lexer must tokenize exactly like marked's: every construct, GFM included. */
const lexerSample = `# Heading *one*
Setext heading
==============
Paragraph with **strong**, *em*, _em_, ***both***, ~~del~~, ~one~, \`code\`, a\\*escape\\*, &amp; &#65; &copy;
hard break  
next line, <span>inline html</span>, <!-- comment --> and an autolink <https://example.com>.
Links: [text](https://example.com "title"), [ref][1], ![img](https://example.com/a.png), www.example.com,
https://example.com/path?q=1, user@example.com, mailto:user@example.com, (www.example.com/x).

[1]: https://example.com/ref

> quote with **bold**
> - list in quote

- item one
- [ ] task
- [x] done
  1. nested ordered
  2. second

3) other start
4) more

* * *

| a | b |
|:--|--:|
| 1 | **2** |

\`\`\`js
const x = 1;
\`\`\`

~~~
tilde fence
~~~

    indented code

<div>
block html
</div>

Trailing *unclosed emphasis and [unclosed link(
`;

/**
 * marked builds its grammar as it loads: a long run of `edit(...).replace(...).getRegex()` chains
 * that assemble the block and inline rules of every mode (normal, GFM, GFM with breaks, pedantic),
 * about 3.5 KB gzip. The widget's lexer always runs with the same options: GFM, no breaks, no
 * pedantic mode, no extensions or hooks (`markdown/lexer.ts`). So this specialises marked for them:
 *
 * - the grammar chains give way to the GFM rules themselves, read from marked at build time: the
 *   same sources and flags, hence the same matches. A rule whose source depends on the engine's
 *   lookbehind support is still chosen as the module loads, from both variants, as marked does.
 *   Other modes are left without rules (the lexer never selects them);
 * - the lexer's and tokenizer's reads of those options (`this.options.pedantic`, ...) become the
 *   constants they always are, so terser drops the branches of the other modes;
 * - the Lexer's static helpers (`rules`, `lex`, `lexInline`) go, after the checks below read them;
 * - reference definitions, which the lexer's tokenizer never reads, lose their rule, marked's
 *   tokenizer method for them and the lexer's branch that stores them, and `other` loses the patterns
 *   only the old grammar or the renderer read.
 *
 * Together about 1.9 KB gzip less (the grammar alone 1.3 KB).
 *
 * The build checks its work: the rewritten module must report the same GFM rules as marked and lex
 * a sample and the XSS corpus, and every prefix of them (what a stream lexes), to the same tokens.
 * When marked's layout is not recognised the code is left as it is (the budget test notices); a
 * failed check fails the build.
 */
const specialiseMarked = {
  name: 'cartrita-specialise-marked',
  async transform(code, id) {
    if (!/[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/.test(id)) return null;
    const ast = this.parse(code);
    const top = new Map();
    for (const statement of ast.body) {
      if (statement.type === 'FunctionDeclaration') top.set(statement.id.name, { declarator: statement });
      if (statement.type !== 'VariableDeclaration') continue;
      for (const declarator of statement.declarations) {
        if (declarator.id.type === 'Identifier') top.set(declarator.id.name, { statement, declarator });
      }
    }
    const keys = (node) =>
      node?.type === 'ObjectExpression' ? node.properties.map((p) => p.key?.name).join() : '';
    const find = (test) => [...top.values()].find(({ declarator }) => test(declarator.init));
    const block = find((init) => keys(init) === 'normal,gfm,pedantic');
    const inline = find((init) => keys(init) === 'normal,gfm,breaks,pedantic');
    const noop = find(
      (init) => init && code.slice(init.start, init.end).replace(/\s/g, '') === '{exec:()=>null}',
    );
    const lookbehind = find((init) => init && code.slice(init.start, init.end).includes('(?<=1)(?<!1)'));
    if (!block || !inline || !noop || !lookbehind) return null;

    // marked's GFM rules as this engine builds them, and as an engine without lookbehind would.
    const range = ({ declarator }) => [declarator.init.start, declarator.init.end];
    const [lbStart, lbEnd] = range(lookbehind);
    const withoutLookbehind = `${code.slice(0, lbStart)}!1${code.slice(lbEnd)}`;
    const original = await importSource(code);
    const { Lexer } = original;
    const { Lexer: FallbackLexer } = await importSource(withoutLookbehind);
    const flag = lookbehind.declarator.id.name;
    const literal = (rules, fallback) =>
      `{${Object.entries(rules)
        .filter(([key]) => !leftOut.includes(key))
        .map(([key, rule]) => {
          const other = fallback[key];
          if (!(rule instanceof RegExp)) {
            if (other instanceof RegExp || rule.exec('') !== null) throw new Error(`marked rule ${key}?`);
            return `${key}:${noop.declarator.id.name}`;
          }
          // Built at run time like marked does, so an engine without lookbehind can load the file.
          const make = (r) => `new RegExp(${JSON.stringify(r.source)},${JSON.stringify(r.flags)})`;
          if (rule.source !== other.source || rule.flags !== other.flags) {
            return `${key}:${flag}?${make(rule)}:${make(other)}`;
          }
          return `${key}:${rule.source.includes('(?<') ? make(rule) : String(rule)}`;
        })
        .join(',')}}`;
    // Reference definitions: the lexer's tokenizer never reads them (see `markdown/lexer.ts`).
    const leftOut = ['def'];
    const blockRules = literal(Lexer.rules.block.gfm, FallbackLexer.rules.block.gfm);
    const inlineRules = literal(Lexer.rules.inline.gfm, FallbackLexer.rules.inline.gfm);
    const edits = [
      [...range(block), `{gfm:${blockRules}}`],
      [...range(inline), `{gfm:${inlineRules}}`],
    ];
    // The tokenizer method that would read them, which the lexer's own tokenizer replaces.
    walk(ast, (n) => {
      if (n.type !== 'MethodDefinition' || n.key.name !== 'def') return;
      if (code.slice(n.start, n.end).includes('.rules.block.def.')) edits.push([n.start, n.end, '']);
    });
    // And the lexer's branch that keeps what `def` returns: it never returns anything here.
    walk(ast, (n) => {
      const call = n.type === 'IfStatement' && n.test.type === 'AssignmentExpression' && n.test.right;
      const callee = call?.type === 'CallExpression' && call.callee;
      if (
        callee?.type === 'MemberExpression' &&
        code.slice(callee.start, callee.end) === 'this.tokenizer.def'
      ) {
        edits.push([n.start, n.end, '']);
      }
    });
    if (edits.length !== 4) return null;

    // The declarations only the old grammar used go too, once nothing refers to them any more.
    const grammar = new Set();
    const reach = (node) =>
      walk(node, (n) => {
        if (n.type !== 'Identifier' || grammar.has(n.name) || !top.has(n.name)) return;
        if (n.name === flag) return;
        grammar.add(n.name);
        const { declarator } = top.get(n.name);
        reach(declarator.type === 'FunctionDeclaration' ? declarator : declarator.init);
      });
    reach(block.declarator.init);
    reach(inline.declarator.init);
    let out = code;
    for (;;) {
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
        out = out.slice(0, start) + text + out.slice(end);
      }
      edits.length = 0;
      const tree = this.parse(out);
      // Counts every use of a name, shadowed or not: an over-count only keeps a declaration.
      const uses = new Map();
      walk(tree, (n) => {
        if (n.type === 'Identifier') uses.set(n.name, (uses.get(n.name) ?? 0) + 1);
      });
      const unused = (id) => id?.type === 'Identifier' && grammar.has(id.name) && uses.get(id.name) === 1;
      for (const statement of tree.body) {
        if (statement.type === 'FunctionDeclaration' && unused(statement.id)) {
          edits.push([statement.start, statement.end, '']);
        }
        if (statement.type !== 'VariableDeclaration') continue;
        const kept = statement.declarations.filter((d) => !unused(d.id));
        if (kept.length === statement.declarations.length) continue;
        const list = kept.map((d) => out.slice(d.start, d.end)).join(',');
        edits.push([statement.start, statement.end, list ? `${statement.kind} ${list};` : '']);
      }
      if (edits.length === 0) break;
    }

    // And the helper patterns of `other` (`this.rules.other`) that only the parser, the renderer or
    // the old grammar read: a property no `.name` in the module reads any more.
    const tree = this.parse(out);
    const read = new Set();
    let other;
    walk(tree, (n) => {
      if (n.type === 'MemberExpression' && !n.computed) read.add(n.property.name);
      if (n.type === 'ObjectExpression' && keys(n) === 'other,block,inline')
        other = n.properties[0].value.name;
    });
    const otherInit = tree.body
      .flatMap((st) => (st.type === 'VariableDeclaration' ? st.declarations : []))
      .find((d) => d.id.name === other)?.init;
    if (otherInit?.type === 'ObjectExpression') {
      const props = otherInit.properties;
      const kept = props.filter((p) => p.type !== 'Property' || p.computed || read.has(p.key.name));
      if (kept.length < props.length) {
        const text = `{${kept.map((p) => out.slice(p.start, p.end)).join(',')}}`;
        out = out.slice(0, otherInit.start) + text + out.slice(otherInit.end);
      }
    }

    // The options `lexMarkdown` passes, and marked's defaults for the ones it leaves out.
    const constants = {
      gfm: '!0',
      breaks: '!1',
      pedantic: '!1',
      extensions: 'void 0',
      hooks: 'void 0',
      silent: '!1',
    };
    const isOption = (n) =>
      n.type === 'MemberExpression' &&
      !n.computed &&
      Object.hasOwn(constants, n.property.name) &&
      n.object.type === 'MemberExpression' &&
      !n.object.computed &&
      n.object.object.type === 'ThisExpression' &&
      n.object.property.name === 'options';
    const reads = [];
    walk(this.parse(out), (n) => {
      const target = n.type === 'AssignmentExpression' ? n.left : n.type === 'UpdateExpression' && n.argument;
      if (target && isOption(target)) throw new Error(`marked sets an option: ${out.slice(n.start, n.end)}`);
      if (isOption(n)) reads.push([n.start, n.end, `(${constants[n.property.name]})`]);
    });
    for (const [start, end, text] of reads.sort((a, b) => b[0] - a[0])) {
      out = out.slice(0, start) + text + out.slice(end);
    }

    const rewritten = await importSource(out);
    const Rewritten = rewritten.Lexer;
    const same = (a, b) => {
      const keys = Object.keys(b).filter((key) => !leftOut.includes(key));
      return Object.keys(a).join() === keys.join() && keys.every((key) => String(a[key]) === String(b[key]));
    };
    const options = { gfm: true, breaks: false, pedantic: false };
    const { xssPayloads } = await import(join(dist, 'markdown/xss-corpus.js'));
    // Fresh options each time (the lexer keeps state on them), with a tokenizer like the lexer's own.
    const lex = (L, text) => {
      const { Tokenizer } = L === Rewritten ? rewritten : original;
      const tokenizer = new (class extends Tokenizer {
        def() {}
      })();
      return JSON.stringify(new L({ ...options, tokenizer }).lex(text));
    };
    if (
      !same(Rewritten.rules.block.gfm, Lexer.rules.block.gfm) ||
      !same(Rewritten.rules.inline.gfm, Lexer.rules.inline.gfm)
    ) {
      throw new Error("The precomputed GFM rules differ from marked's");
    }
    const prefixes = (text) => Array.from(text, (_, index) => text.slice(0, index + 1));
    const mismatch = [lexerSample, ...xssPayloads]
      .flatMap(prefixes)
      .find((text) => lex(Rewritten, text) !== lex(Lexer, text));
    if (mismatch !== undefined) {
      throw new Error(`The specialised marked lexes differently: ${JSON.stringify(mismatch)}`);
    }

    // Last, once the checks above have read them: the Lexer's static helpers, which the widget never
    // calls (it makes its own lexer, see `markdown/lexer.ts`).
    const statics = [];
    walk(this.parse(out), (n) => {
      if (n.type !== 'ClassBody' || !n.body.some((m) => m.key?.name === 'blockTokens')) return;
      for (const member of n.body) {
        if (member.static && ['rules', 'lex', 'lexInline'].includes(member.key?.name)) statics.push(member);
      }
    });
    if (statics.length !== 3)
      throw new Error("marked's Lexer no longer has its static rules, lex and lexInline");
    for (const { start, end } of statics.sort((a, b) => b.start - a.start)) {
      out = out.slice(0, start) + out.slice(end);
    }
    return { code: out, map: null };
  },
};

/**
 * Lit templates keep their source indentation as text; this collapses it in the widget's own
 * `html`, `svg` and `css` templates: whitespace with a line break between two tags goes, other runs
 * become one space (what HTML and CSS render anyway), HTML loses the spaces before the `>` that
 * closes a tag (not before `/>`: an unquoted binding would take the `/` into its value), and CSS
 * loses the spaces around its punctuation. Template expressions are untouched, so the parts Lit
 * binds stay the same.
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
        // Where the HTML scan is, across quasis (an expression is an attribute value or text).
        const scan = { inTag: false, quote: '' };
        for (const quasi of node.quasi.quasis) {
          const raw = code.slice(quasi.start, quasi.end);
          let text = raw.replace(/>\s*\n\s*</g, '><').replace(/\s+/g, ' ');
          if (!isCss) text = trimTagEnds(text, scan);
          if (isCss) {
            text = text
              .replace(/\s*([{};,>/!])\s*/g, '$1')
              .replace(/:\s+/g, ':')
              .replace(/;}/g, '}')
              .replace(/([\s:,(/])0\.(\d)/g, '$1.$2')
              .replace(/\[([\w-]+)='([a-z][\w-]*)'\]/gi, '[$1=$2]')
              .trim();
          }
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

/**
 * Drops the whitespace before each `>` that closes a tag in one quasi of an HTML template, keeping
 * track in `scan` of whether the text is inside a tag and inside a quoted attribute value.
 */
const trimTagEnds = (text, scan) => {
  let out = '';
  for (const char of text) {
    if (scan.inTag && scan.quote) {
      if (char === scan.quote) scan.quote = '';
    } else if (scan.inTag) {
      if (char === '"' || char === "'") scan.quote = char;
      else if (char === '>') {
        scan.inTag = false;
        if (!out.endsWith('/')) out = out.trimEnd();
      }
    } else if (char === '<') scan.inTag = true;
    out += char;
  }
  return out;
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
    plugins: [
      sdkWidgetSubset,
      sdkWidgetLogOff,
      markedLexerOnly,
      specialiseMarked,
      compactTemplates,
      lazyImports,
      resolve(),
      minify(),
      oxcMinify(),
    ],
    onwarn,
  },
  ...[...lazy].map(([input, file]) => ({
    input,
    output: { file: join(dist, file), format: 'es', sourcemap: true },
    plugins: [highlightCore, compactTemplates, resolve(), minify()],
    onwarn,
  })),
];
