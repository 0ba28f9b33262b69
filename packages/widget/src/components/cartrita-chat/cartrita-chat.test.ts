// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type FakeHandler,
  fakeFetch,
  json,
  session,
  settle,
  sse,
} from '../../../../../tests/widget/fake-chatkit.js';
import '../../define.js';
import type { CartritaChat } from './cartrita-chat.js';
import type { CartritaChatOptions } from './options.js';

const at = '2026-01-01T00:00:00Z';
const thread = {
  id: 'thr_1',
  created_at: at,
  status: { type: 'active' },
  metadata: {},
  items: { data: [], has_more: false },
};
const turn = (text: string) => [
  { type: 'thread.created', thread },
  {
    type: 'thread.item.done',
    item: {
      id: 'msg_u',
      thread_id: 'thr_1',
      created_at: at,
      type: 'user_message',
      content: [{ type: 'input_text', text }],
      attachments: [],
      inference_options: {},
    },
  },
  { type: 'stream_options', stream_options: { allow_cancel: true } },
  {
    type: 'thread.item.done',
    item: {
      id: 'msg_a',
      thread_id: 'thr_1',
      created_at: at,
      type: 'assistant_message',
      content: [{ type: 'output_text', text: `**Echo:** ${text}`, annotations: [] }],
    },
  },
];

const chatkit: FakeHandler = (call) =>
  call.path === '/api/chatkit/session'
    ? json(session())
    : sse(
        turn(
          String(
            (call.body as { params: { input: { content: Array<{ text: string }> } } }).params.input.content[0]
              ?.text,
          ),
        ),
      );

const mount = async (attributes = '', options: CartritaChatOptions = {}, handler: FakeHandler = chatkit) => {
  const { fetch, calls } = fakeFetch(handler);
  document.body.innerHTML = `<cartrita-chat api-url="http://chat.test" ${attributes}></cartrita-chat>`;
  const element = document.querySelector('cartrita-chat') as CartritaChat;
  element.options = { fetch, ...options };
  const $ = <E extends Element = HTMLElement>(selector: string) =>
    element.shadowRoot!.querySelector<E>(selector);
  const $$ = (selector: string) => [...element.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
  const until = async (check: () => unknown) => {
    for (let i = 0; i < 200 && !check(); i++) await settle(5);
    await element.updateComplete;
    expect(check()).toBeTruthy();
  };
  await until(() => element.session.status === 'ready');
  return { element, calls, $, $$, until };
};

const type = (textarea: HTMLTextAreaElement, text: string) => {
  textarea.value = text;
  textarea.dispatchEvent(new Event('input'));
};
const key = (target: Element, init: KeyboardEventInit) =>
  target.dispatchEvent(
    new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init }),
  );

afterEach(() => {
  document.body.innerHTML = '';
  document.documentElement.removeAttribute('lang');
});

describe('<cartrita-chat>', () => {
  it('connects, shows the start screen and sends a prompt', async () => {
    const ready = vi.fn();
    document.addEventListener('cartrita-ready', ready, { once: true });
    const { $, $$, until, calls } = await mount('', {
      startScreen: { greeting: 'Hello there', prompts: [{ label: 'Say hi', prompt: 'hi' }] },
    });
    expect(ready).toHaveBeenCalledOnce();
    expect($('[part~="greeting"]')?.textContent).toBe('Hello there');
    $('[part~="prompt"]')!.click();
    await until(() => $$('[data-item-type="assistant_message"][data-status="done"]').length === 1);
    expect(calls.at(-1)?.type).toBe('threads.create');
    expect($('[part~="bubble"]')?.textContent).toBe('hi');
    await until(() => $('[part~="markdown"] strong')?.textContent === 'Echo:');
  });

  it('fills the tools menu and the model picker from the server, and sends what was picked', async () => {
    const reported: FakeHandler = (call) =>
      call.path === '/api/chatkit/session'
        ? json({
            ...session(),
            capabilities: {
              ...session().capabilities,
              models: [
                { id: 'small', label: 'Small' },
                { id: 'large', label: 'Large', default: true },
              ],
              tools: [{ id: 'search', label: 'Search' }],
            },
          })
        : chatkit(call);
    const { $, $$, calls, until } = await mount('', {}, reported);
    expect($$('[part~="model-picker"] option').map((o) => o.textContent)).toEqual(['Small', 'Large']);
    expect($<HTMLSelectElement>('[part~="model-picker"]')?.value).toBe('large');
    const tools = $<HTMLSelectElement>('[part~="tool-picker"]')!;
    tools.value = 'search';
    tools.dispatchEvent(new Event('change'));
    type($<HTMLTextAreaElement>('textarea')!, 'Look it up');
    key($('textarea')!, { key: 'Enter' });
    await until(() => calls.some((c) => c.type === 'threads.create'));
    const sent = calls.find((c) => c.type === 'threads.create')?.body as {
      params: { input: { inference_options: unknown } };
    };
    expect(sent.params.input.inference_options).toEqual({ tool_choice: { id: 'search' }, model: 'large' });
  });

  it('sends on Enter, adds a line on Shift+Enter and sends once for a held key', async () => {
    const { $, calls, until } = await mount();
    const input = $<HTMLTextAreaElement>('[part~="input"]')!;
    type(input, 'first');
    await settle();
    expect(key(input, { key: 'Enter', shiftKey: true })).toBe(true);
    expect(calls).toHaveLength(1);
    key(input, { key: 'Enter' });
    key(input, { key: 'Enter', repeat: true });
    key(input, { key: 'Enter' });
    await until(() => calls.length === 2);
    await settle(20);
    expect(calls.filter((c) => c.type?.startsWith('threads.'))).toHaveLength(1);
  });

  it('renders user text as text, never as markup', async () => {
    const { element, $, until } = await mount();
    element.sendMessage('<img src=x onerror=alert(1)> **not bold**');
    await until(() => $('[part~="bubble"]'));
    expect($('[part~="bubble"]')?.textContent).toBe('<img src=x onerror=alert(1)> **not bold**');
    expect($('[part~="bubble"] img, [part~="bubble"] strong')).toBeNull();
  });

  it('lets a page cancel a message with cartrita-message-send', async () => {
    const { element, calls } = await mount();
    element.addEventListener('cartrita-message-send', (event) => event.preventDefault(), { once: true });
    expect(element.sendMessage('blocked')).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('shows a connection error with a retry button that connects again', async () => {
    let up = false;
    const { fetch } = fakeFetch((call) => (up ? chatkit(call) : json({}, 400)));
    document.body.innerHTML = '<cartrita-chat api-url="http://chat.test"></cartrita-chat>';
    const element = document.querySelector('cartrita-chat') as CartritaChat;
    element.options = { fetch };
    for (let i = 0; i < 100 && element.session.status !== 'error'; i++) await settle(5);
    await element.updateComplete;
    const retry = element.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry-button"]');
    expect(element.shadowRoot!.querySelector('[part~="error"]')?.getAttribute('role')).toBe('alert');
    up = true;
    retry!.click();
    for (let i = 0; i < 100 && element.session.status !== 'ready'; i++) await settle(5);
    expect(element.session.status).toBe('ready');
  });

  it('speaks the language of its lang attribute, else of the page, right to left for Arabic', async () => {
    document.documentElement.lang = 'fr';
    const { element, $, until } = await mount();
    await until(() => $('[part~="input"]')?.getAttribute('aria-label') === 'Écrivez un message');
    element.setAttribute('lang', 'ar');
    await until(() => $('.root')?.getAttribute('dir') === 'rtl');
    expect($('[part~="send-button"]')?.getAttribute('aria-label')).toBe('إرسال');
  });

  it('opens the launcher panel, closes it with Escape and gives focus back to the button', async () => {
    const { element, $ } = await mount('launcher');
    const panel = $('[part~="panel"]')!;
    const button = $<HTMLButtonElement>('[part~="launcher"]')!;
    expect(panel.hidden).toBe(true);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.click();
    await element.updateComplete;
    expect(panel.hidden).toBe(false);
    expect(element.hasAttribute('open')).toBe(true);
    key($('[part~="input"]')!, { key: 'Escape' });
    await element.updateComplete;
    await settle();
    expect(panel.hidden).toBe(true);
    expect(element.shadowRoot!.activeElement).toBe(button);
  });

  it('labels every control', async () => {
    const { element, $$ } = await mount('launcher open');
    await element.updateComplete;
    for (const control of $$('button, textarea, input:not([type=file])')) {
      const name = control.getAttribute('aria-label') ?? control.textContent?.trim();
      expect(name, control.outerHTML).toBeTruthy();
    }
  });

  it('follows the theme attribute', async () => {
    const { element, $ } = await mount('theme="dark"');
    expect($('.root')?.getAttribute('data-theme')).toBe('dark');
    element.theme = 'light';
    await element.updateComplete;
    expect($('.root')?.getAttribute('data-theme')).toBe('light');
    element.theme = undefined;
    await element.updateComplete;
    expect($('.root')?.getAttribute('data-theme')).toBe('auto');
  });
});
