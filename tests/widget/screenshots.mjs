// Regenerates the widget screenshots in docs/images (light, dark, launcher) against a real reference
// server with the demo provider. Not a test: run it by hand after a build when the widget's look changes,
// then look at the images before committing them.
//
//   pnpm build   # or build contracts, sdk, widget and the reference server
//   node tests/widget/screenshots.mjs
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startTestServer } from '../../reference-server/dist/testing.js';

const out = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// A host page that looks like a plain product page, so the launcher has something to float over.
const hostPage = (body, scheme) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cartrita widget</title>
<script src="/widget/latest/cartrita-chat.js"></script>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: ${scheme === 'dark' ? '#0d1117' : '#f6f7f9'};
    color: ${scheme === 'dark' ? '#e6edf3' : '#1f2328'}; }
  main { padding: 24px; }
  .inline { max-width: 640px; margin: 0 auto; --cartrita-max-height: 60rem; }
  .fake h1 { margin: 0 0 8px; font-size: 28px; } .fake p { max-width: 34rem; color: #59636e; }
  .fake .card { background: #fff; border: 1px solid #d5d9de; border-radius: 12px; padding: 16px; margin: 16px 0;
    max-width: 30rem; height: 90px; }
</style></head><body><main>${body}</main></body></html>`;

const shots = [
  {
    file: 'widget-light.png',
    scheme: 'light',
    viewport: { width: 720, height: 1100 },
    body: '<cartrita-chat class="inline" theme="light" header-title="Demo assistant"></cartrita-chat>',
    element: 'cartrita-chat',
  },
  {
    file: 'widget-dark.png',
    scheme: 'dark',
    viewport: { width: 720, height: 1100 },
    body: '<cartrita-chat class="inline" theme="dark" header-title="Demo assistant"></cartrita-chat>',
    element: 'cartrita-chat',
  },
  {
    file: 'widget-launcher.png',
    scheme: 'light',
    viewport: { width: 1000, height: 820 },
    body: `<div class="fake"><h1>Acme Outdoor</h1><p>Tents, stoves and everything for a night outside.
      The chat in the corner answers questions about orders and gear.</p>
      <div class="card"></div><div class="card"></div><div class="card"></div></div>
      <cartrita-chat launcher theme="light" header-title="Ask Acme"></cartrita-chat>`,
    launcher: true,
  },
];

const server = await startTestServer({ env: { DEMO_PACE_MS: '0' } });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--font-render-hinting=none'],
});
try {
  await mkdir(out, { recursive: true });
  for (const shot of shots) {
    const context = await browser.newContext({
      viewport: shot.viewport,
      deviceScaleFactor: 2,
      colorScheme: shot.scheme,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const path = `/__screenshot-${shot.file}`;
    await page.route(`${server.url}${path}`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: hostPage(shot.body, shot.scheme) }),
    );
    await page.goto(`${server.url}${path}`);
    await page
      .locator('cartrita-chat [part~="panel"][data-connection="ready"]')
      .waitFor({ state: 'attached' });
    if (shot.launcher) await page.locator('cartrita-chat [part~="launcher"]').click();
    const input = page.locator('cartrita-chat [part~="input"]');
    await input.fill('/markdown');
    await input.press('Enter');
    await page.locator('cartrita-chat [data-item-type="assistant_message"][data-status="done"]').waitFor();
    // The highlighter loads lazily on the first code block.
    await page.locator('cartrita-chat .hljs-keyword').first().waitFor();
    await input.fill('Can it also draw tables?');
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    const target = shot.element ? page.locator(shot.element) : page;
    await target.screenshot({ path: `${out}${shot.file}`, animations: 'disabled' });
    console.log(`wrote docs/images/${shot.file}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
