// A small program using the built SDK the way an application would: a chat call, two streams and two
// uploads against the server at CARTRITA_URL. It prints one JSON line of what it saw, for
// tests/sdk/runtimes.test.ts to run under each runtime (Node, Bun, Deno).
import { CartritaClient, toFile } from '../../../packages/sdk/dist/index.js';

const baseURL = globalThis.process?.env?.CARTRITA_URL ?? globalThis.Deno?.env.get('CARTRITA_URL');
const anonymous = new CartritaClient({ baseURL });
const { client_secret } = await anonymous.chatkit.createSession();
const client = new CartritaClient({ baseURL, clientSecret: client_secret });

const { data: reply, requestId } = await client.chat.create({ message: 'Hello' }).withResponse();

const stream = await client.chat.stream({ message: 'Hello again', conversation_id: reply.conversation_id });
const frames = [];
for await (const frame of stream) frames.push(frame.type);

const input = { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} };
const { data: events, response } = await client.chatkit.threads.create({ input }).withResponse();
const chatkit = [];
for await (const event of events) chatkit.push(event.type);

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
// A file read from a path, as the runtime's file system gives it: this very program.
const own = await toFile(new URL(import.meta.url).pathname);

console.log(
  JSON.stringify({
    chat: { text: reply.response.length > 0, requestId: typeof requestId },
    stream: { first: frames[0], last: frames.at(-1), text: stream.text.length > 0 },
    chatkit: { status: response.status, first: chatkit[0], done: chatkit.includes('thread.item.done') },
    upload: { name: file.filename, size: file.size, steps: progress.length, last: progress.at(-1) },
    attachment: { name: attachment.name, mime: attachment.mime_type },
    path: { name: own.name, size: own.size, head: (await own.text()).slice(0, 2) },
  }),
);
