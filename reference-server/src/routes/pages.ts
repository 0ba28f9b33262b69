import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import { buildOpenApi, routes } from '@cartrita/contracts';
import express, { type Express, type Request } from 'express';
import type { AppContext } from '../app-context.js';
import { baseUrlOf } from '../areas/chatkit/routes.js';
import { HttpError } from '../http-error.js';

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const pagePolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cartrita API</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

/**
 * The site icon, a speech bubble. The pages declare it, so browsers do not ask for `/favicon.ico`
 * (a 404 that each page load would log as a console error).
 */
const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#4f46e5" d="M7 3h18a5 5 0 0 1 5 5v11a5 5 0 0 1-5 5H15l-7 6v-6H7a5 5 0 0 1-5-5V8a5 5 0 0 1 5-5z"/><g fill="#fff"><circle cx="10" cy="13.5" r="2"/><circle cx="16" cy="13.5" r="2"/><circle cx="22" cy="13.5" r="2"/></g></svg>
`;

const docsInit = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, tryItOutEnabled: true });\n`;

/**
 * The widget package, found through the server's `@cartrita/widget` dependency wherever the package
 * manager put it (a workspace link, or `node_modules` of an installed server): its `dist` holds the
 * script-tag files the server sends.
 */
const widgetRoot = dirname(require.resolve('@cartrita/widget/package.json'));
const widgetDist = join(widgetRoot, 'dist');

/** The widget's version, for the versioned URL. */
const widgetVersion = (): string =>
  String(JSON.parse(readFileSync(join(widgetRoot, 'package.json'), 'utf8')).version);

/** The script-tag file, its lazily loaded chunks and their source maps. */
const widgetFile = /^cartrita-chat(?:\.[a-z0-9-]+)?\.js(?:\.map)?$/;

/** The encodings the widget files are sent in, best first, and how each is made. */
const encoders = {
  br: (data: Buffer) =>
    promisify(brotliCompress)(data, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length },
    }),
  gzip: (data: Buffer) => promisify(gzip)(data, { level: 9 }),
};
type Encoding = keyof typeof encoders;

/**
 * The widget files, compressed once per version of the file on disk (its size and modification
 * time) and kept: they are few, small, and the same for every page that embeds the widget.
 */
const compressedFiles = new Map<string, { version: string; body: Promise<Buffer> }>();
const compressedFile = async (
  path: string,
  encoding: Encoding,
): Promise<{ version: string; body: Promise<Buffer> }> => {
  const { size, mtimeMs } = await stat(path);
  const version = `${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}`;
  const key = `${encoding} ${path}`;
  let entry = compressedFiles.get(key);
  if (entry?.version !== version) {
    entry = { version, body: readFile(path).then(encoders[encoding]) };
    compressedFiles.set(key, entry);
    // A failed read or compression is not kept: the next request tries again.
    entry.body.catch(() => compressedFiles.delete(key));
  }
  return entry;
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const demoPage = (version: string, script: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cartrita demo</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/demo.css">
<script src="${script}" defer></script>
<script src="/demo.js" defer></script>
</head>
<body>
<header class="top">
<h1>Cartrita</h1>
<p>Reference server ${escapeHtml(version)}, answering with the offline <strong>demo</strong> provider.
<a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI</a> · <a href="/api/health">health</a></p>
</header>
<main>
<section class="demo" aria-labelledby="inline-title">
<div class="bar">
<h2 id="inline-title">Inline chat</h2>
<label>Theme <select id="theme"><option value="auto">auto</option><option value="light">light</option><option value="dark">dark</option></select></label>
<label>Language <select id="lang"><option value="">page</option><option value="en">English</option><option value="es">Español</option><option value="fr">Français</option><option value="de">Deutsch</option><option value="ja">日本語</option><option value="ar">العربية</option></select></label>
</div>
<cartrita-chat id="inline" header-title="Demo assistant"></cartrita-chat>
<p class="hint">Try <code>/markdown</code>, <code>/tool</code>, <code>/widget</code>, <code>/widgets</code>, <code>/form</code>, <code>/workflow</code>, <code>/progress</code>, <code>/notice</code>, <code>/error</code> or <code>/slow</code> (then Stop). The floating button opens the same chat as a launcher.</p>
</section>
<aside aria-labelledby="events-title">
<h2 id="events-title">Events</h2>
<ol id="events" tabindex="0" aria-label="Widget events"></ol>
</aside>
</main>
<cartrita-chat id="launcher" launcher header-title="Ask Cartrita"></cartrita-chat>
</body>
</html>
`;

const demoCss = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f7f9}
.top{padding:1.5rem 2rem .5rem}.top h1{margin:0}
main{display:grid;grid-template-columns:minmax(0,1fr) 20rem;gap:1.5rem;padding:0 2rem 6rem;max-width:76rem}
@media (max-width:60rem){main{grid-template-columns:1fr}}
.bar{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}.bar h2{margin:0 auto 0 0;font-size:1.2rem}
#inline{margin-top:.75rem;--cartrita-max-height:30rem}
aside h2{font-size:1.2rem;margin:0}#events{font:13px/1.4 ui-monospace,monospace;padding-left:1.5rem;max-height:36rem;overflow:auto}
code{background:#eaeef2;padding:.1em .3em;border-radius:4px}.hint{color:#59636e}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}code{background:#262c36}.hint{color:#9198a1}a{color:#7aa7ff}}
`;

const demoJs = `// The demo page's script: configures both chats and logs their events.
const chats = document.querySelectorAll('cartrita-chat');
const log = document.getElementById('events');
const prompts = ['/markdown', '/tool', '/widget', '/widgets', '/form', '/workflow', '/progress'].map((p) => ({
  label: p,
}));
for (const chat of chats) {
  chat.options = {
    startScreen: { greeting: 'Ask anything, or try a scripted prompt.', prompts },
    // The demo provider's /tool prompt calls this client tool; the page answers it.
    onClientTool: ({ name, params }) =>
      name === 'get_page_info' ? { title: document.title, url: location.href, fields: params.fields } : { error: 'unknown tool ' + name },
  };
  for (const type of ['cartrita-ready', 'cartrita-message-send', 'cartrita-response-start', 'cartrita-response-end',
    'cartrita-thread-change', 'cartrita-error', 'cartrita-effect', 'cartrita-tool-call', 'cartrita-action', 'cartrita-toggle']) {
    chat.addEventListener(type, (event) => {
      const item = document.createElement('li');
      const detail = { ...event.detail };
      if (detail.error instanceof Error) detail.error = detail.error.message;
      item.textContent = chat.id + ' ' + type + ' ' + JSON.stringify(detail);
      log.prepend(item);
    });
  }
}
const inline = document.getElementById('inline');
document.getElementById('theme').addEventListener('change', (e) => { inline.setAttribute('theme', e.target.value); });
document.getElementById('lang').addEventListener('change', (e) => {
  if (e.target.value) inline.setAttribute('lang', e.target.value); else inline.removeAttribute('lang');
});
`;

const openApiFor = (req: Request, context: AppContext) =>
  buildOpenApi(routes, { version: context.version, servers: [baseUrlOf(req, context)] });

/** Mounts the pages that are not API routes: the demo page and its files, `/openapi.json` and `/docs`. */
export const mountPages = (app: Express, context: AppContext): void => {
  let cached: { key: string; body: string } | undefined;
  app.get('/openapi.json', (req, res) => {
    const key = baseUrlOf(req, context);
    if (cached?.key !== key) cached = { key, body: JSON.stringify(openApiFor(req, context)) };
    res.type('application/json').send(cached.body);
  });
  app.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', pagePolicy);
    res.type('html').send(docsPage);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(docsInit);
  });
  app.use('/docs/assets', express.static(swaggerDir, { index: false, maxAge: '1d' }));
  const widget = widgetVersion();
  app.get('/', (_req, res) => {
    res.setHeader('Content-Security-Policy', pagePolicy);
    res.type('html').send(demoPage(context.version, `/widget/v${widget}/cartrita-chat.js`));
  });
  app.get('/favicon.svg', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(favicon);
  });
  app.get('/demo.js', (_req, res) => {
    res.type('application/javascript').send(demoJs);
  });
  app.get('/demo.css', (_req, res) => {
    res.type('text/css').send(demoCss);
  });
  // The script-tag files: immutable under the versioned path, briefly cached under `latest`.
  app.get('/widget/:version/:file', async (req, res, next) => {
    const { version, file } = req.params;
    const versioned = version === `v${widget}`;
    if ((!versioned && version !== 'latest') || !widgetFile.test(file)) {
      next();
      return;
    }
    const path = join(widgetDist, file);
    if (!existsSync(path)) {
      next(
        new HttpError(
          'SERVICE_UNAVAILABLE',
          `The widget bundle ${file} has not been built: run \`pnpm build\` (or \`npm run build\` in packages/widget).`,
        ),
      );
      return;
    }
    res.setHeader(
      'Cache-Control',
      versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate',
    );
    // Other sites embed the script and import its chunks (module loads are CORS requests).
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.removeHeader('Access-Control-Allow-Credentials');
    res.setHeader('Vary', 'Accept-Encoding');
    const type = file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8';
    // Sent compressed when the client takes it (the script-tag file's budget is its gzip size), with
    // an ETag per file version and encoding, so a revalidation of `latest` costs a 304.
    // Brotli when the client takes it at all (browsers list it after gzip, at the same weight).
    const encoding = req.acceptsEncodings('br') || req.acceptsEncodings('gzip', 'identity');
    if (encoding === 'br' || encoding === 'gzip') {
      const { version: fileVersion, body } = await compressedFile(path, encoding);
      res.setHeader('ETag', `"${fileVersion}-${encoding}"`);
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.setHeader('Content-Encoding', encoding);
      res.type(type).send(await body);
      return;
    }
    res.sendFile(path, { cacheControl: false, headers: { 'Content-Type': type } });
  });
};
