import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { buildOpenApi, routes } from '@cartrita/contracts';
import express, { type Express, type Request } from 'express';
import type { AppContext } from '../app-context.js';
import { baseUrlOf } from './chatkit.js';

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
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const docsInit = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, tryItOutEnabled: true });\n`;

const homePage = (version: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cartrita</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}code{background:#f6f8fa;padding:.1em .3em;border-radius:4px}</style>
</head>
<body>
<h1>Cartrita reference server</h1>
<p>Version ${version}. The server is running with the offline <strong>demo</strong> provider.</p>
<ul>
<li><a href="/docs">Interactive API docs</a> and the <a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/api/health">Health</a></li>
</ul>
<p>Try it: <code>curl -X POST http://localhost:8000/api/chatkit/session</code> returns a client secret for <code>POST /chatkit</code>.</p>
</body>
</html>
`;

const openApiFor = (req: Request, context: AppContext) =>
  buildOpenApi(routes, { version: context.version, servers: [baseUrlOf(req, context)] });

/** Mounts the pages that are not API routes: the home page, `/openapi.json` and `/docs`. */
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
  app.get('/', (_req, res) => {
    res.setHeader('Content-Security-Policy', pagePolicy);
    res.type('html').send(homePage(context.version));
  });
};
