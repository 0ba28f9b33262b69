// Optional: richer configuration through the `options` property, and the widget's events.
for (const chat of document.querySelectorAll('cartrita-chat')) {
  chat.options = {
    startScreen: {
      prompts: [
        { label: 'Show me some markdown', prompt: '/markdown' },
        { label: 'Run a page tool', prompt: '/tool' },
      ],
    },
    // The assistant may call tools that run in this page; return the result object.
    onClientTool: ({ name, params }) =>
      name === 'get_page_info'
        ? { title: document.title, url: location.href, fields: params.fields }
        : { error: `No tool ${name}` },
  };
  chat.addEventListener('cartrita-response-end', (event) => console.log('reply finished', event.detail));
  chat.addEventListener('cartrita-error', (event) =>
    console.warn('chat error', event.detail.message, event.detail.error),
  );
}
