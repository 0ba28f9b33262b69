/**
 * @module Checks shared by the widget's end-to-end tests in Chromium: axe-core inside the shadow root,
 * an audit of the rendered DOM for anything that could run script, a trap that notices script that did
 * run, the `/chatkit` requests a page made, and reading the server's copy of a thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: Array<{ id: string; nodes: Array<{ target: unknown; failureSummary?: string }> }>;
}

/**
 * Runs axe-core on the elements matching `selector` (their shadow roots included, as axe does by
 * default) and returns one line per violation: its rule, the nodes and why. Empty means none.
 */
export const axeViolations = async (page: Page, selector = 'cartrita-chat'): Promise<string[]> => {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<AxeResult> } }).axe;
    return await axe.run({ include: [...document.querySelectorAll(selector)] });
  }, selector);
  return results.violations.map(
    (v) =>
      `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`,
  );
};

/**
 * Appends to `problems` everything under `root` (and `root` itself, and any shadow root inside) that
 * could run script or leave the page: elements that execute or embed (`script`, `iframe`, `object`,
 * `embed`, `frame`, `base`, `meta`, `link`, `style`), any `on*` attribute, a `srcdoc`, a URL attribute
 * with a `javascript:`, `data:` or `vbscript:` scheme (control characters and white space ignored, as
 * browsers ignore them), a link whose resolved URL is not http, https or mailto, an image whose
 * resolved URL is not http or https, inline styles that load URLs, and SVG or MathML other than the
 * widget's hidden icons. Runs in the page (its source is sent there), so it must stay self-contained:
 * no imports, no helpers from outside its body.
 */
function checkTree(root: Node, problems: string[]): void {
  const forbidden = new Set([
    'script',
    'iframe',
    'object',
    'embed',
    'frame',
    'frameset',
    'applet',
    'base',
    'meta',
    'link',
    'style',
    'portal',
  ]);
  const urlAttributes = new Set([
    'href',
    'xlink:href',
    'src',
    'srcset',
    'action',
    'formaction',
    'data',
    'poster',
    'background',
    'ping',
    'cite',
    'lowsrc',
    'dynsrc',
    'longdesc',
    'manifest',
    'codebase',
  ]);
  // Browsers drop these before reading a scheme: `java\tscript:` is `javascript:`.
  const squeeze = (value: string) =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are the point.
    value.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u2028-\u202e\ufeff]/g, '');
  const dangerous = /^(?:javascript|data|vbscript):/i;
  const describe = (element: Element) => element.outerHTML.slice(0, 160);
  const check = (element: Element) => {
    const tag = element.localName;
    if (forbidden.has(tag)) problems.push(`<${tag}> element: ${describe(element)}`);
    for (const { name, value } of element.attributes) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on')) problems.push(`${lower} attribute: ${describe(element)}`);
      if (lower === 'srcdoc') problems.push(`srcdoc attribute: ${describe(element)}`);
      if (urlAttributes.has(lower) && dangerous.test(squeeze(value)))
        problems.push(`${lower}="${value}": ${describe(element)}`);
      if (lower === 'style' && /url\s*\(|expression\s*\(|javascript|behavior/i.test(value))
        problems.push(`style="${value}": ${describe(element)}`);
    }
    if (element instanceof HTMLAnchorElement && element.hasAttribute('href')) {
      const protocol = new URL(element.href, document.baseURI).protocol;
      if (!['http:', 'https:', 'mailto:'].includes(protocol))
        problems.push(`link to ${protocol}: ${describe(element)}`);
    }
    if (element instanceof HTMLImageElement && element.hasAttribute('src')) {
      const protocol = new URL(element.src, document.baseURI).protocol;
      if (!['http:', 'https:'].includes(protocol))
        problems.push(`image from ${protocol}: ${describe(element)}`);
    }
    // The widget's icons are hidden SVGs; any other SVG or MathML came from content.
    if (
      element.namespaceURI !== 'http://www.w3.org/1999/xhtml' &&
      !element.closest('svg[aria-hidden="true"]')
    )
      problems.push(`foreign element <${tag}>: ${describe(element)}`);
    if (element.shadowRoot) visit(element.shadowRoot);
  };
  const visit = (node: Node) => {
    if (node instanceof Element) check(node);
    if (node instanceof Element || node instanceof DocumentFragment)
      for (const element of node.querySelectorAll('*')) check(element);
  };
  visit(root);
}

type CheckTree = (root: Node, problems: string[]) => void;

/** Defines `checkTree` in the page as `window.__checkTree`; a string evaluation, which no CSP governs. */
const defineCheckTree = (page: Page): Promise<unknown> => page.evaluate(`window.__checkTree = ${checkTree}`);

/**
 * Walks the shadow DOM of the elements matching `selector` with the checks of `checkTree` (anything
 * that could run script or leave the page) and returns what it found. Empty means clean.
 */
export const auditShadowDom = async (page: Page, selector = 'cartrita-chat'): Promise<string[]> => {
  await defineCheckTree(page);
  return page.evaluate((selector) => {
    const check = (window as unknown as { __checkTree: CheckTree }).__checkTree;
    const problems: string[] = [];
    for (const host of document.querySelectorAll(selector)) {
      if (host.shadowRoot) check(host.shadowRoot, problems);
      else problems.push(`${selector} has no open shadow root`);
    }
    return problems;
  }, selector);
};

/**
 * From now on, checks every node added to (and every attribute changed in) the shadow DOM of the
 * elements matching `selector`, so that something rendered for one frame and then replaced is seen
 * too. Read the findings with {@link watchedProblems}.
 */
export const watchShadowDom = async (page: Page, selector = 'cartrita-chat'): Promise<void> => {
  await defineCheckTree(page);
  await page.evaluate((selector) => {
    const check = (window as unknown as { __checkTree: CheckTree }).__checkTree;
    const problems: string[] = [];
    (window as unknown as { __domProblems: string[] }).__domProblems = problems;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') check(record.target, problems);
        else for (const node of record.addedNodes) check(node, problems);
      }
    });
    for (const host of document.querySelectorAll(selector)) {
      if (host.shadowRoot)
        observer.observe(host.shadowRoot, { subtree: true, childList: true, attributes: true });
    }
  }, selector);
};

/** What {@link watchShadowDom} found so far. */
export const watchedProblems = (page: Page): Promise<string[]> =>
  page.evaluate(() => [...((window as unknown as { __domProblems?: string[] }).__domProblems ?? [])]);

/** What {@link installXssTrap} saw. */
export interface XssTrap {
  /** Calls of `alert`, `confirm`, `prompt` or `print`, dialogs that opened, popups and navigations. */
  readonly hits: string[];
}

/**
 * Before any page script runs, replaces `alert`, `confirm`, `prompt` and `print` with functions that
 * report to the test (payloads call them), and records dialogs (dismissed), popups and navigations
 * away from the first page. Call before `goto`.
 */
export const installXssTrap = async (page: Page): Promise<XssTrap> => {
  const hits: string[] = [];
  await page.exposeFunction('__xssHit', (what: string) => {
    hits.push(what);
  });
  await page.addInitScript(() => {
    const report = (window as unknown as { __xssHit: (what: string) => void }).__xssHit;
    for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
      Object.defineProperty(window, name, {
        configurable: false,
        writable: false,
        value: (...args: unknown[]) => {
          void report(`${name}(${args.map(String).join(', ')})`);
          return name === 'confirm' ? false : name === 'prompt' ? null : undefined;
        },
      });
    }
  });
  page.on('dialog', (dialog) => {
    hits.push(`dialog ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => {});
  });
  page.on('popup', (popup) => hits.push(`popup ${popup.url()}`));
  let first = true;
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) hits.push(`frame navigated to ${frame.url()}`);
    else if (first) first = false;
    else hits.push(`page navigated to ${frame.url()}`);
  });
  return { hits };
};

/** One `POST /chatkit` request a page made. */
export interface ChatKitCall {
  type: string;
  params: Record<string, unknown>;
}

/** Records the `/chatkit` requests `page` makes from now on, in order. */
export const recordChatKitCalls = (page: Page): ChatKitCall[] => {
  const calls: ChatKitCall[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/chatkit') return;
    try {
      const body = request.postDataJSON() as { type: string; params?: Record<string, unknown> };
      calls.push({ type: body.type, params: body.params ?? {} });
    } catch {
      // Not JSON: not a ChatKit request.
    }
  });
  return calls;
};

/** The widget's current client secret and thread id, read from its public controllers. */
export const widgetState = (page: Page, host = 'cartrita-chat') =>
  page.locator(host).evaluate((element) => {
    const chat = element as HTMLElement & {
      session: { session?: { client_secret?: string } };
      chat: { threadId?: string; model: { items: Array<{ id: string; type: string; content?: unknown }> } };
    };
    return {
      secret: chat.session.session?.client_secret ?? '',
      threadId: chat.chat.threadId,
      items: chat.chat.model.items.map((item) => ({ id: item.id, type: item.type, content: item.content })),
    };
  });

/** A JSON `/chatkit` request made from the test with a widget's client secret. */
export const chatkit = async <T>(
  baseUrl: string,
  secret: string,
  type: string,
  params: Record<string, unknown>,
): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${baseUrl}/chatkit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ type, params }),
  });
  return { status: response.status, body: (await response.json()) as T };
};

/** The server's copy of an item, as far as these tests read it. */
export interface ServerItem {
  id: string;
  type: string;
  content?: Array<{ text: string }>;
  attachments?: Array<{ id: string; name: string }>;
}

/** The server's copy of a thread with its items. */
export const serverThread = async (baseUrl: string, secret: string, threadId: string) =>
  (
    await chatkit<{ id: string; title?: string; items: { data: ServerItem[] } }>(
      baseUrl,
      secret,
      'threads.get_by_id',
      { thread_id: threadId },
    )
  ).body;

/** The text of an assistant message as the server or the widget's model holds it. */
export const textOf = (item: { content?: unknown } | undefined): string =>
  ((item?.content ?? []) as Array<{ text?: string }>).map((part) => part.text ?? '').join('');

/** A TCP port that was free a moment ago on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** The widget's event types, as `recordEvents` records them. */
export const eventTypes = [
  'cartrita-ready',
  'cartrita-message-send',
  'cartrita-response-start',
  'cartrita-response-end',
  'cartrita-thread-change',
  'cartrita-error',
  'cartrita-toggle',
  'cartrita-history-toggle',
  'cartrita-thread-load-start',
  'cartrita-thread-load-end',
  'cartrita-log',
  'cartrita-tool-change',
  'cartrita-deeplink',
] as const;

/**
 * Markup for `<head>` that records the widget's events on `window.__events` from the start (they
 * bubble and are composed, so the document hears them), with their details as JSON.
 */
export const recordEvents = `<script>
window.__events = [];
for (const type of ${JSON.stringify(eventTypes)}) {
  document.addEventListener(type, (event) => {
    const detail = JSON.parse(JSON.stringify(event.detail ?? null, (key, value) => (value instanceof Error ? value.message : value)));
    window.__events.push({ type, detail });
  });
}
</script>`;

/** One event recorded by {@link recordEvents}. */
export interface RecordedEvent {
  type: (typeof eventTypes)[number];
  detail: Record<string, unknown> | null;
}

/** The events recorded so far, optionally of one type. */
export const recordedEvents = async (page: Page, type?: RecordedEvent['type']): Promise<RecordedEvent[]> => {
  const events = await page.evaluate(() => (window as unknown as { __events: RecordedEvent[] }).__events);
  return type ? events.filter((event) => event.type === type) : events;
};

/**
 * Waits until the widget has no request streaming. A reply's item is done a little before its stream
 * ends (the thread's new title follows), and the widget refuses to send while a stream runs.
 */
export const waitForIdle = (page: Page, host = 'cartrita-chat'): Promise<void> =>
  page.locator(`${host} [part~="panel"][data-busy="false"]`).waitFor({ state: 'attached' });
