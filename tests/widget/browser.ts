/**
 * @module Helpers for widget tests in real Chromium: Debian's `chromium` driven by `playwright-core`
 * (no browser download), against a real reference server that serves the built script-tag files.
 *
 * @example
 * ```ts
 * const env = await startWidgetEnv({ DEMO_PACE_MS: '5' });
 * const page = await env.open('<cartrita-chat></cartrita-chat>');
 * await waitForReady(page);
 * await page.locator('cartrita-chat [part~="input"]').fill('Hello');
 * await page.keyboard.press('Enter');
 * await env.close();
 * ```
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

/** Where Chromium lives: `CHROMIUM_PATH`, else Debian's. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The built script-tag file the server serves; tests need `pnpm build` (or the widget's build) first. */
export const widgetBundle = fileURLToPath(
  new URL('../../packages/widget/dist/cartrita-chat.js', import.meta.url),
);

/**
 * Launches headless Chromium with flags that keep it quiet and offline. Its microphone is Chromium's
 * fake capture device (a generated tone, real audio to `MediaRecorder`), allowed without a prompt.
 */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });

/** Options of {@link WidgetEnv.open}. */
export interface OpenOptions {
  /** Extra markup for `<head>` (after the widget script). */
  head?: string;
  /** The page's `<html lang>`. Default `en`. */
  lang?: string;
  /** Extra browser context options: `colorScheme`, `reducedMotion`, `viewport`, `locale`. */
  context?: Parameters<Browser['newContext']>[0];
  /** The script URL; default the server's `latest` copy. */
  script?: string;
}

/** A page under test, with what it printed. */
export interface WidgetPage extends Page {
  /** Console errors and uncaught exceptions seen so far. */
  readonly errors: string[];
}

/** A running server and browser for widget tests. */
export interface WidgetEnv {
  server: TestServer;
  browser: Browser;
  /**
   * Opens a page at the server's origin (so the widget's API is same-origin) whose body is `body`,
   * with the script-tag file loaded by a classic `<script src>`.
   */
  open(body: string, options?: OpenOptions): Promise<WidgetPage>;
  /** Closes every page, the browser and the server. */
  close(): Promise<void>;
}

let pageCount = 0;

/**
 * Starts a reference server (demo provider; `env` overrides its settings) and Chromium. Fails with a
 * clear message when the widget bundle has not been built.
 */
export const startWidgetEnv = async (env: Record<string, string> = {}): Promise<WidgetEnv> => {
  if (!existsSync(widgetBundle)) {
    throw new Error(`${widgetBundle} is missing: build the widget first (pnpm build).`);
  }
  const server = await startTestServer({ env: { DEMO_PACE_MS: '5', ...env } });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await server.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async open(body, options = {}) {
      const context = await browser.newContext(options.context);
      contexts.push(context);
      const page = (await context.newPage()) as WidgetPage;
      const errors: string[] = [];
      Object.defineProperty(page, 'errors', { value: errors });
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      const path = `/__widget-test-${++pageCount}`;
      const script = options.script ?? '/widget/latest/cartrita-chat.js';
      const html = `<!doctype html><html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8"><title>Widget test</title><script src="${script}"></script>${options.head ?? ''}</head><body>${body}</body></html>`;
      await page.route(`${server.url}${path}`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      );
      await page.goto(`${server.url}${path}`);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
    },
  };
};

/** Waits until the (first, or the selected) widget's session is ready. */
export const waitForReady = async (page: Page, host = 'cartrita-chat'): Promise<void> => {
  await page.locator(`${host} [part~="panel"][data-connection="ready"]`).waitFor({ state: 'attached' });
};

/** Types a message into a widget's composer and presses Enter. */
export const sendMessage = async (page: Page, text: string, host = 'cartrita-chat'): Promise<void> => {
  await page.locator(`${host} [part~="input"]`).fill(text);
  await page.locator(`${host} [part~="input"]`).press('Enter');
};

/** The locator of a widget's newest finished assistant message. */
export const lastReply = (page: Page, host = 'cartrita-chat') =>
  page.locator(`${host} [data-item-type="assistant_message"][data-status="done"]`).last();

/**
 * The widget environment of a test file: started before its tests (with `expect.poll` waiting up to
 * 10 s, as a browser round trip may take that long on a busy machine) and closed after them. The object
 * returned is filled in once the environment has started, so tests read it as they run.
 */
export const useWidgetEnv = (settings: Record<string, string> = {}): WidgetEnv => {
  const env = {} as WidgetEnv;
  beforeAll(async () => {
    vi.setConfig({ expect: { poll: { timeout: 10_000 } } });
    Object.assign(env, await startWidgetEnv(settings));
  }, 60_000);
  afterAll(() => env.close?.());
  return env;
};
