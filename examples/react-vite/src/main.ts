/**
 * A React page with the chat: options as a prop, events as props, and a button that drives the
 * chat through the element's methods. Plain `createElement`, so no JSX transform is needed.
 */
import { CartritaChat, useCartritaChat } from '@cartrita/react';
import { createElement, StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

const apiUrl = import.meta.env.VITE_CARTRITA_URL ?? 'http://127.0.0.1:8000';

function App() {
  const chat = useCartritaChat();
  const [status, setStatus] = useState('Connecting…');
  return createElement(
    'div',
    null,
    createElement('p', { role: 'status' }, status),
    createElement(
      'button',
      {
        type: 'button',
        onClick: () => void chat.element?.sendUserMessage({ text: '/widgets' }),
      },
      'Show every widget',
    ),
    createElement(CartritaChat, {
      ref: chat.ref,
      options: {
        apiUrl,
        startScreen: { greeting: 'Ask about the example', prompts: [{ label: '/markdown' }] },
        commands: [{ name: 'widgets', description: 'Every widget component' }],
      },
      onReady: ({ sessionId }) => setStatus(`Ready (${sessionId})`),
      onResponseEnd: ({ error }) => setStatus(error ? 'The answer failed' : 'Answered'),
      onError: ({ message }) => setStatus(message || 'Something failed'),
    }),
  );
}

createRoot(document.getElementById('app') as HTMLElement).render(
  createElement(StrictMode, null, createElement(App)),
);
