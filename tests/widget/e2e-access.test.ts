import { describe, expect, it } from 'vitest';
import { lastReply, sendMessage, useWidgetEnv, type WidgetPage, waitForReady } from './browser.js';
import { axeViolations, waitForIdle } from './e2e-helpers.js';

// Slow enough to press Escape while a reply streams and to see progress updates.
const env = useWidgetEnv({ DEMO_PACE_MS: '10' });

const host = 'cartrita-chat';

/**
 * Gives every element a stable number on first sight, and returns the numbers of the controls in the
 * widget's shadow root that can take focus from the keyboard now (enabled, rendered, not removed from
 * the tab order), in document order.
 */
const focusableControls = (page: WidgetPage): Promise<number[]> =>
  page.evaluate((host) => {
    const state = window as unknown as { __ids: WeakMap<Element, number>; __next: number };
    state.__ids ??= new WeakMap();
    state.__next ??= 0;
    const idOf = (element: Element) => {
      if (!state.__ids.has(element)) state.__ids.set(element, state.__next++);
      return state.__ids.get(element)!;
    };
    const root = document.querySelector(host)!.shadowRoot!;
    const candidates = root.querySelectorAll<HTMLElement>(
      'button, textarea, input, select, a[href], summary, [tabindex]',
    );
    return [...candidates]
      .filter(
        (element) =>
          !(element as HTMLButtonElement).disabled &&
          element.tabIndex >= 0 &&
          element.checkVisibility({ visibilityProperty: true }),
      )
      .map(idOf);
  }, host);

/** The number (see {@link focusableControls}) and a description of the element focused inside the widget. */
const focused = (page: WidgetPage) =>
  page.evaluate((host) => {
    const state = window as unknown as { __ids: WeakMap<Element, number>; __next: number };
    state.__ids ??= new WeakMap();
    state.__next ??= 0;
    const active = document.querySelector(host)?.shadowRoot?.activeElement;
    if (!active || document.activeElement?.localName !== host)
      return { id: -1, label: document.activeElement?.id ?? '' };
    if (!state.__ids.has(active)) state.__ids.set(active, state.__next++);
    const label =
      active.getAttribute('aria-label') ?? active.getAttribute('part') ?? active.textContent?.trim() ?? '';
    return { id: state.__ids.get(active)!, label: `${active.localName} ${label}` };
  }, host);

/** Presses Tab from `#before` until `#after` has focus; returns what was focused on the way. */
const tabThrough = async (page: WidgetPage) => {
  await page.locator('#before').focus();
  const visited: Array<{ id: number; label: string }> = [];
  for (let n = 0; n < 60; n++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.label === 'after') return visited;
    visited.push(now);
  }
  throw new Error(`Tab never left the widget: ${visited.map((v) => v.label).join(', ')}`);
};

/** Presses Tab until the focused element inside the widget matches `selector`. */
const tabTo = async (page: WidgetPage, selector: string) => {
  for (let n = 0; n < 60; n++) {
    await page.keyboard.press('Tab');
    const matches = await page
      .locator(host)
      .evaluate((element, selector) => !!element.shadowRoot?.activeElement?.matches(selector), selector);
    if (matches) return;
  }
  throw new Error(`Tab never reached ${selector}`);
};

const isFocused = (page: WidgetPage, selector: string) =>
  page
    .locator(host)
    .evaluate((element, selector) => !!element.shadowRoot?.activeElement?.matches(selector), selector);

const around = (widget: string) =>
  `<button id="before">before</button>${widget}<button id="after">after</button>`;

describe('keyboard-only use', () => {
  it('reaches every control with Tab, sends with Enter and adds a line with Shift+Enter', async () => {
    const page = await env.open(around('<cartrita-chat></cartrita-chat>'));
    await waitForReady(page);
    const visited = await tabThrough(page);
    const controls = await focusableControls(page);
    expect(controls.length).toBeGreaterThan(2);
    expect(visited.map((v) => v.id)).toEqual(controls);

    await page.locator('#before').focus();
    await tabTo(page, 'textarea');
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('/markdown');
    expect(await page.locator(`${host} [part~="input"]`).inputValue()).toBe('line one\n/markdown');
    await page.keyboard.press('Enter');
    await lastReply(page).waitFor();
    expect(await page.locator(`${host} [data-item-type="user_message"] [part~="bubble"]`).textContent()).toBe(
      'line one\n/markdown',
    );
    // Focus stays in the box for the next message.
    expect(await isFocused(page, 'textarea')).toBe(true);
    await waitForIdle(page);

    // With a reply on screen there are more controls: its actions, its link, its code's copy button.
    await page.keyboard.type('/markdown');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator(`${host} [data-item-type="assistant_message"][data-status="done"]`).count())
      .toBe(2);
    const more = await focusableControls(page);
    expect(more.length).toBeGreaterThan(controls.length + 8);
    expect((await tabThrough(page)).map((v) => v.id)).toEqual(more);
    expect(page.errors).toEqual([]);
  });

  it('opens the launcher, stops a reply and closes the panel from the keyboard, returning focus', async () => {
    const page = await env.open(around('<cartrita-chat launcher></cartrita-chat>'));
    await waitForReady(page);
    await page.locator('#before').focus();
    await page.keyboard.press('Tab');
    expect(await isFocused(page, '[part~="launcher"]')).toBe(true);
    expect(await page.locator(`${host} [part~="launcher"]`).getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    // Opening moves focus to the message box.
    await expect.poll(() => isFocused(page, 'textarea')).toBe(true);
    expect(await page.locator(`${host} [part~="launcher"]`).getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator(`${host} [part~="panel"]`).isVisible()).toBe(true);

    await page.keyboard.type('/slow');
    await page.keyboard.press('Enter');
    const streaming = page.locator(`${host} [data-item-type="assistant_message"][data-status="streaming"]`);
    await streaming.waitFor();
    await expect.poll(async () => (await streaming.textContent())?.length ?? 0).toBeGreaterThan(5);
    // First Escape stops the reply and leaves the panel open.
    await page.keyboard.press('Escape');
    await page.locator(`${host} [data-item-type="assistant_message"][data-status="stopped"]`).waitFor();
    expect(await page.locator(`${host} [part~="panel"]`).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Every control of the open panel is reachable.
    const visited = await tabThrough(page);
    expect(visited.map((v) => v.id)).toEqual(await focusableControls(page));
    await tabTo(page, 'textarea');

    // The next Escape closes the panel and gives focus back to the launcher button.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`${host} [part~="panel"]`).isVisible()).toBe(false);
    expect(await page.locator(host).getAttribute('open')).toBeNull();
    await expect.poll(() => isFocused(page, '[part~="launcher"]')).toBe(true);
    // And Enter on it opens the same conversation again.
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(page, 'textarea')).toBe(true);
    expect(await page.locator(`${host} [data-item-type="assistant_message"]`).count()).toBe(1);
    expect(page.errors).toEqual([]);
  });

  it('closes the history with Escape before anything else', async () => {
    const page = await env.open(around('<cartrita-chat launcher open></cartrita-chat>'));
    await waitForReady(page);
    await page.locator('#before').focus();
    await tabTo(page, '[part~="header-button"][aria-label="Conversations"]');
    await page.keyboard.press('Enter');
    await page.locator(`${host} [part~="history"]`).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`${host} [part~="history"]`).count()).toBe(0);
    expect(await page.locator(`${host} [part~="panel"]`).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`${host} [part~="panel"]`).isVisible()).toBe(false);
    await expect.poll(() => isFocused(page, '[part~="launcher"]')).toBe(true);
  });
});

/** The panel's background as the page shows it: white in the light theme, #16181c in the dark one. */
const panelBackground = (page: WidgetPage) =>
  page.locator(`${host} [part~="panel"]`).evaluate((panel) => getComputedStyle(panel).backgroundColor);

describe('axe-core', () => {
  const conversation = async (page: WidgetPage) => {
    await waitForReady(page);
    await sendMessage(page, '/markdown');
    await lastReply(page).waitFor();
    // The highlighter is loaded lazily; check the colors it brings too.
    await page.locator(`${host} .hljs-keyword`).first().waitFor();
  };

  it('finds no violations in the light theme with a rich reply', async () => {
    const page = await env.open('<cartrita-chat theme="light"></cartrita-chat>');
    await conversation(page);
    expect(await panelBackground(page)).toBe('rgb(255, 255, 255)');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('finds no violations in the dark theme, chosen by the system, with a rich reply', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { context: { colorScheme: 'dark' } });
    await conversation(page);
    expect(await panelBackground(page)).toBe('rgb(22, 24, 28)');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('follows the system in the auto theme as it changes, and keeps a theme the page set', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { context: { colorScheme: 'dark' } });
    await waitForReady(page);
    expect(await panelBackground(page)).toBe('rgb(22, 24, 28)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await panelBackground(page)).toBe('rgb(255, 255, 255)');
    await page.locator(host).evaluate((chat: HTMLElement & { theme?: string }) => {
      chat.theme = 'dark';
    });
    await expect.poll(() => panelBackground(page)).toBe('rgb(22, 24, 28)');
  });

  it('finds no violations with the launcher panel open, with a reply and the history shown', async () => {
    const page = await env.open('<cartrita-chat launcher></cartrita-chat>');
    await waitForReady(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator(`${host} [part~="launcher"]`).click();
    expect(await axeViolations(page)).toEqual([]);
    await sendMessage(page, 'Hello from the launcher');
    await lastReply(page).waitFor();
    await waitForIdle(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator(`${host} [part~="header-button"][aria-label="Conversations"]`).click();
    await page.locator(`${host} [part~="history-item"]`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('a right-to-left language', () => {
  it('lays the widget out right to left with Arabic strings from its lang attribute', async () => {
    const page = await env.open('<cartrita-chat lang="ar"></cartrita-chat>');
    await waitForReady(page);
    const root = page.locator(`${host} .root`);
    await expect.poll(() => root.getAttribute('dir')).toBe('rtl');
    expect(await root.getAttribute('lang')).toBe('ar');
    const input = page.locator(`${host} [part~="input"]`);
    await expect.poll(() => input.getAttribute('placeholder')).toBe('اكتب رسالة');
    expect(await input.getAttribute('aria-label')).toBe('اكتب رسالة');
    expect(await page.locator(`${host} [part~="send-button"]`).getAttribute('aria-label')).toBe('إرسال');
    expect(await page.locator(`${host} [part~="title"]`).textContent()).toBe('الدردشة');
    expect(await page.locator(`${host} [part~="greeting"]`).textContent()).toBe('كيف يمكنني مساعدتك اليوم؟');
    expect(await page.locator(`${host} [part~="messages"]`).getAttribute('aria-label')).toBe('الرسائل');

    await sendMessage(page, 'مرحبا');
    await lastReply(page).waitFor();
    // Mirrored: the send button at the left end of the composer, the user's bubble on the left.
    const composer = (await page.locator(`${host} [part~="composer"]`).boundingBox())!;
    const send = (await page.locator(`${host} [part~="send-button"]`).boundingBox())!;
    const attach = (await page.locator(`${host} [part~="attach-button"]`).boundingBox())!;
    expect(send.x).toBeLessThan(composer.x + composer.width / 2);
    expect(attach.x).toBeGreaterThan(send.x);
    const log = (await page.locator(`${host} [part~="messages"]`).boundingBox())!;
    const bubble = (await page.locator(`${host} [part~="bubble"]`).boundingBox())!;
    expect(bubble.x - log.x).toBeLessThan(log.x + log.width - (bubble.x + bubble.width));
    // The reply's actions speak Arabic too.
    expect(await lastReply(page).locator('[part~="action-button"]').first().getAttribute('aria-label')).toBe(
      'نسخ',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it("follows the page's language, and switches when its lang attribute changes", async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { lang: 'ar' });
    await waitForReady(page);
    const root = page.locator(`${host} .root`);
    await expect.poll(() => root.getAttribute('dir')).toBe('rtl');
    await page.locator(host).evaluate((element) => element.setAttribute('lang', 'en'));
    await expect.poll(() => root.getAttribute('dir')).toBe('ltr');
    await expect
      .poll(() => page.locator(`${host} [part~="send-button"]`).getAttribute('aria-label'))
      .toBe('Send');
    await page.locator(host).evaluate((element) => element.setAttribute('lang', 'ar-EG'));
    await expect
      .poll(() => page.locator(`${host} [part~="send-button"]`).getAttribute('aria-label'))
      .toBe('إرسال');
    expect(await root.getAttribute('dir')).toBe('rtl');
  });
});

describe('reduced motion', () => {
  /** The animation of the progress line's dot, read when the line first appears. */
  const progressAnimation = async (page: WidgetPage) => {
    await waitForReady(page);
    await page.evaluate((host) => {
      const root = document.querySelector(host)!.shadowRoot!;
      const state = window as unknown as { __animation?: string };
      const observer = new MutationObserver(() => {
        const line = root.querySelector('[part~="progress"]');
        if (!line || state.__animation !== undefined) return;
        state.__animation = getComputedStyle(line, '::before').animationName;
        observer.disconnect();
      });
      observer.observe(root, { subtree: true, childList: true });
    }, host);
    await sendMessage(page, '/progress');
    await lastReply(page).waitFor();
    return page.evaluate(() => (window as unknown as { __animation?: string }).__animation);
  };

  it('animates the progress line normally', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', {
      context: { reducedMotion: 'no-preference' },
    });
    expect(await progressAnimation(page)).toBe('pulse');
  });

  it('turns the animation off when the system asks for reduced motion', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { context: { reducedMotion: 'reduce' } });
    expect(await progressAnimation(page)).toBe('none');
    expect(await axeViolations(page)).toEqual([]);
  });
});
