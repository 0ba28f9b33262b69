// @vitest-environment happy-dom
import type { CartritaChat as CartritaChatElement } from '@cartrita/widget';
import { act, createElement, createRef } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CartritaReadyEvent, CartritaResponseEndEvent } from '../../widget/src/events/index.js';
import { CartritaChat, eventProps } from './index.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('@cartrita/react', () => {
  it('renders the element with its options, hands events to props and exposes the element as the ref', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    const ref = createRef<CartritaChatElement>();
    const onReady = vi.fn();
    const onResponseEnd = vi.fn();
    // A session request that never answers: the test needs no server.
    const options = {
      apiUrl: 'http://chat.test',
      headerTitle: 'Help',
      fetch: () => new Promise<Response>(() => {}),
    };
    await act(async () => {
      root.render(createElement(CartritaChat, { ref, options, onReady, onResponseEnd, launcher: true }));
    });
    const element = container.querySelector('cartrita-chat') as CartritaChatElement;
    expect(ref.current).toBe(element);
    expect(element.options).toBe(options);
    expect(element.launcher).toBe(true);
    expect(typeof ref.current?.sendUserMessage).toBe('function');
    element.dispatchEvent(new CartritaReadyEvent({ sessionId: 'sess_1' }));
    element.dispatchEvent(new CartritaResponseEndEvent({ threadId: 'thr_1', stopped: false, error: false }));
    expect(onReady.mock.calls[0]?.[0]).toEqual({ sessionId: 'sess_1' });
    expect(onResponseEnd.mock.calls[0]?.[0]).toEqual({ threadId: 'thr_1', stopped: false, error: false });
    // New handlers take effect without new listeners.
    const later = vi.fn();
    await act(async () => {
      root.render(createElement(CartritaChat, { ref, options, onReady: later }));
    });
    element.dispatchEvent(new CartritaReadyEvent({ sessionId: 'sess_2' }));
    expect(later.mock.calls).toEqual([[{ sessionId: 'sess_2' }, expect.any(Event)]]);
    expect(onReady).toHaveBeenCalledTimes(1);
    await act(async () => root.unmount());
  });

  it('maps every event of the element to a prop', () => {
    expect(Object.values(eventProps).sort()).toEqual(
      [
        'cartrita-action',
        'cartrita-deeplink',
        'cartrita-effect',
        'cartrita-error',
        'cartrita-history-toggle',
        'cartrita-log',
        'cartrita-message-send',
        'cartrita-ready',
        'cartrita-response-end',
        'cartrita-response-start',
        'cartrita-thread-change',
        'cartrita-thread-load-end',
        'cartrita-thread-load-start',
        'cartrita-toggle',
        'cartrita-tool-call',
        'cartrita-tool-change',
      ].sort(),
    );
  });
});
