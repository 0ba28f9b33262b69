/**
 * One program using the SDK the way an application would, run as it is under Node, Bun, Deno and in
 * Chromium (tests/sdk/runtimes.test.ts, tests/sdk/browser-upload.test.ts). It takes the SDK's exports
 * and answers what it saw, as plain data. Self-contained (no imports, no outer names), so that the
 * browser test can send its source to the page.
 *
 * @param {typeof import('@cartrita/sdk')} sdk
 * @param {string} baseURL
 * @param {string | undefined} ownPath a file to read with `toFile(path)`, where there is a file system
 */
export async function program(sdk, baseURL, ownPath) {
  const { CartritaClient, toFile, isNotFoundError } = sdk;
  const lines = [];
  const at = (level) => (message, fields) => lines.push({ level, message, fields });
  const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  const anonymous = new CartritaClient({ baseURL });
  const { client_secret } = await anonymous.chatkit.createSession();
  const client = new CartritaClient({ baseURL, clientSecret: client_secret, logLevel: 'debug', logger });

  // A chat call and its request id.
  const { data: reply, requestId } = await client.chat.create({ message: 'Hello' }).withResponse();

  // The resumable chat stream, with its response as it opens.
  const opened = await client.chat
    .stream({ message: 'Hello again', conversation_id: reply.conversation_id })
    .withResponse();
  const frames = [];
  for await (const frame of opened.data) frames.push(frame.type);

  // A ChatKit stream, read, and another handed over raw.
  const input = { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} };
  const { data: events, response } = await client.chatkit.threads.create({ input }).withResponse();
  const chatkit = [];
  for await (const event of events) chatkit.push(event.type);
  const raw = await client.chatkit.threads.create({ input }).asResponse();
  const rawText = await raw.text();

  // Every thread, one page at a time.
  let threads = 0;
  for await (const _thread of client.chatkit.threads.list({ limit: 1 })) threads++;

  // A typed error with its request id.
  const missing = await client.conversations.get('thr_missing').then(
    () => undefined,
    (error) => ({
      notFound: isNotFoundError(error),
      status: error.status,
      requestId: typeof error.requestId,
    }),
  );

  // Uploads: bytes with progress, and an attachment.
  const bytes = new TextEncoder().encode('Notes for the trip.\n'.repeat(10_000));
  const progress = [];
  const file = await client.files.upload(bytes, {
    filename: 'trip.txt',
    onProgress: (event) => progress.push(event.loaded),
  });
  const attachment = await client.chatkit.attachments.upload(
    new Blob(['hello'], { type: 'text/plain' }),
    'hello.txt',
  );
  const own = ownPath === undefined ? undefined : await toFile(ownPath);

  return {
    chat: { replied: reply.response.length > 0, requestId: typeof requestId },
    stream: {
      status: opened.response.status,
      requestId: opened.requestId === opened.response.headers.get('x-request-id'),
      first: frames[0],
      last: frames.at(-1),
      replied: opened.data.text.length > 0,
    },
    chatkit: { status: response.status, first: chatkit[0], done: chatkit.includes('thread.item.done') },
    raw: { status: raw.status, created: rawText.includes('"type":"thread.created"') },
    threads,
    missing,
    upload: { name: file.filename, size: file.size, steps: progress.length, last: progress.at(-1) },
    attachment: { name: attachment.name, mime: attachment.mime_type },
    path: own === undefined ? null : { name: own.name, size: own.size, head: (await own.text()).slice(0, 2) },
    log: {
      lines: lines.length > 0,
      levels: [...new Set(lines.map((line) => line.level))].sort(),
      secretShown: JSON.stringify(lines).includes(client_secret),
    },
  };
}
