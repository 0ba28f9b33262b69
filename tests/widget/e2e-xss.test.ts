import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { xssAllowedImageOrigin, xssPayloads } from '../../packages/widget/src/markdown/xss-corpus.js';
import { launchChromium } from './browser.js';
import {
  assistantItem,
  openStandInPage,
  type StandIn,
  type StandInThread,
  startChatKitStandIn,
  userItem,
} from './chatkit-stand-in.js';
import {
  auditShadowDom,
  axeViolations,
  installXssTrap,
  watchedProblems,
  watchShadowDom,
  type XssTrap,
} from './e2e-helpers.js';

// A 1x1 transparent PNG, for the images the corpus loads from the allowed origin.
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

const widget = `<cartrita-chat allowed-image-origins="${xssAllowedImageOrigin}"></cartrita-chat>`;

let browser: Browser;
beforeAll(async () => {
  // Replies stream for a few seconds; polls wait for them.
  vi.setConfig({ expect: { poll: { timeout: 10_000 } } });
  browser = await launchChromium();
}, 60_000);
afterAll(() => browser?.close());

/** What a hostile page run must leave behind: nothing ran, nothing left, nothing dangerous rendered. */
interface Watch {
  trap: XssTrap;
  /** Requests to any origin but the stand-in's and the allowed image origin. */
  foreign: string[];
}

const open = async (
  standIn: StandIn,
  body = widget,
): Promise<{ page: Page & { errors: string[] } } & Watch> => {
  let trap!: XssTrap;
  const foreign: string[] = [];
  const page = await openStandInPage(browser, standIn, body, async (page) => {
    trap = await installXssTrap(page);
    await page.route(`${xssAllowedImageOrigin}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'image/png', body: pixel }),
    );
    page.on('request', (request) => {
      const origin = new URL(request.url()).origin;
      if (origin !== standIn.url && origin !== xssAllowedImageOrigin) foreign.push(request.url());
    });
  });
  await page.locator('cartrita-chat [part~="panel"][data-connection="ready"]').waitFor({ state: 'attached' });
  await watchShadowDom(page);
  return { page, trap, foreign };
};

/** Hovers, focuses and clicks every rendered link and image, as a curious user would. */
const poke = async (page: Page) => {
  await page.evaluate(() => {
    const root = document.querySelector('cartrita-chat')!.shadowRoot!;
    for (const element of root.querySelectorAll<HTMLElement>('[part~="markdown"] *, [part~="bubble"] *')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error', 'animationstart'])
        element.dispatchEvent(new Event(type));
    }
    // Links open in a new tab; a click must not run script either way.
    for (const link of root.querySelectorAll<HTMLAnchorElement>('[part~="markdown"] a'))
      link.addEventListener('click', (event) => event.preventDefault(), { once: true });
    for (const link of root.querySelectorAll<HTMLAnchorElement>('[part~="markdown"] a')) link.click();
  });
};

const expectClean = async (page: Page & { errors: string[] }, watch: Watch) => {
  await poke(page);
  // Give anything that was scheduled (a timer, an image error) a chance to fire.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
  expect(await auditShadowDom(page)).toEqual([]);
  // Nor was anything dangerous there for a moment while the replies streamed.
  expect(await watchedProblems(page)).toEqual([]);
  expect(watch.trap.hits).toEqual([]);
  expect(watch.foreign).toEqual([]);
  expect(page.errors).toEqual([]);
};

describe('the checks of these tests', () => {
  it('notice script, dangerous URLs and handlers when they are there', async () => {
    const standIn = await startChatKitStandIn();
    try {
      const { page, ...watch } = await open(standIn);
      await page.evaluate(() => {
        const root = document.querySelector('cartrita-chat')!.shadowRoot!;
        const div = document.createElement('div');
        div.innerHTML =
          '<a href="java&#x09;script:void 0">a</a><img src="data:image/png;base64,AA" alt=""><b onclick="x()">b</b>' +
          '<iframe></iframe><svg><circle r="1"></circle></svg>';
        root.append(div);
        window.alert('planted');
      });
      expect(await auditShadowDom(page)).toEqual([
        expect.stringMatching(/^href="java\tscript:void 0"/),
        expect.stringMatching(/^link to javascript:/),
        expect.stringMatching(/^src="data:/),
        expect.stringMatching(/^image from data:/),
        expect.stringMatching(/^onclick attribute/),
        expect.stringMatching(/^<iframe> element/),
        expect.stringMatching(/^foreign element <svg>/),
        expect.stringMatching(/^foreign element <circle>/),
      ]);
      expect(await watchedProblems(page)).toHaveLength(8);
      // The planted iframe loads about:blank, which the trap reports as well.
      await expect.poll(() => watch.trap.hits).toContain('alert(planted)');
      expect(watch.trap.hits).toContain('frame navigated to about:blank');
    } finally {
      await standIn.close();
    }
  });
});

describe('hostile markdown in the browser', () => {
  it('has at least 100 payloads', () => {
    expect(new Set(xssPayloads).size).toBeGreaterThanOrEqual(100);
  });

  it('runs no script and renders no dangerous URL when every payload streams in as a reply', async () => {
    const standIn = await startChatKitStandIn({ replies: () => xssPayloads, deltaSize: 3, paceMs: 1 });
    try {
      const { page, ...watch } = await open(standIn);
      await page.locator('cartrita-chat [part~="input"]').fill('Show me the corpus');
      await page.locator('cartrita-chat [part~="input"]').press('Enter');
      const done = page.locator('cartrita-chat [data-item-type="assistant_message"][data-status="done"]');
      await expect.poll(() => done.count(), { timeout: 15_000 }).toBe(xssPayloads.length);
      await expectClean(page, watch);
      // The text is still there, as text: the first payload shows its words, not an empty bubble.
      expect(await done.first().textContent()).toContain('alert(1)');
    } finally {
      await standIn.close();
    }
  });

  it('runs no script and renders no dangerous URL when a saved thread of payloads is opened', async () => {
    const thread: StandInThread = { id: 'thr_corpus', title: 'Corpus', items: [] };
    for (const payload of xssPayloads) {
      thread.items.push(userItem(thread.id, payload), assistantItem(thread.id, payload));
    }
    const standIn = await startChatKitStandIn({ threads: [thread] });
    try {
      const { page, ...watch } = await open(
        standIn,
        `<cartrita-chat initial-thread="thr_corpus" allowed-image-origins="${xssAllowedImageOrigin}"></cartrita-chat>`,
      );
      const replies = page.locator('cartrita-chat [data-item-type="assistant_message"]');
      await expect.poll(() => replies.count()).toBe(xssPayloads.length);
      const users = page.locator('cartrita-chat [data-item-type="user_message"] [part~="bubble"]');
      // User messages are plain text, whatever they hold.
      expect(await users.nth(0).textContent()).toBe(xssPayloads[0]);
      await expectClean(page, watch);
    } finally {
      await standIn.close();
    }
  });

  it('runs no script when payloads are thread titles in the history, the rename form and an opened thread', async () => {
    const threads: StandInThread[] = xssPayloads.map((payload, n) => ({
      id: `thr_title_${n}`,
      title: payload,
      items: [],
    }));
    threads[0]!.items.push(userItem('thr_title_0', 'hello'), assistantItem('thr_title_0', 'Hi.'));
    const standIn = await startChatKitStandIn({ threads });
    try {
      const { page, ...watch } = await open(standIn);
      await page.locator('cartrita-chat [part~="header-button"][aria-expanded]').click();
      const rows = page.locator('cartrita-chat [part~="history-item"]');
      await expect.poll(() => rows.count()).toBe(xssPayloads.length);
      // Titles are text: the row shows the payload itself.
      expect((await rows.nth(0).locator('button').first().textContent())?.trim()).toBe(
        xssPayloads[0]?.trim(),
      );
      await expectClean(page, watch);

      // The rename form puts the title in an input's value.
      await rows.nth(0).locator('[part~="history-button"]').first().click();
      await expect
        .poll(() => page.locator('cartrita-chat [part~="history"] input').inputValue())
        .toBe(xssPayloads[0]);
      await page.locator('cartrita-chat [part~="history"] input').press('Escape');

      // Opening a thread with a hostile title.
      await rows.nth(0).locator('button').first().click();
      await page.locator('cartrita-chat [data-item-type="assistant_message"]').waitFor();
      await expectClean(page, watch);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
});
