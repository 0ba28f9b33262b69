/**
 * @module The built-in `demo` provider: offline and deterministic, with scripted prompts that show
 * every part of the protocol, and the server action of its own widget.
 */
import type { Annotation, StructuredInputQuestion, WidgetRoot } from '@cartrita/contracts';
import { setComponentValue } from '../chatkit/widgets.js';
import { bestSource } from '../files/sources.js';
import { eachToken, tokenize } from '../text.js';
import type { ChatMessage, ChatProvider, ProviderChunk, ProviderRequest, WidgetAction } from './types.js';

/** Options of the demo provider. */
export interface DemoProviderOptions {
  /** Milliseconds between tokens; 0 streams as fast as the connection takes it. */
  paceMs?: number;
}

/**
 * Waits between the tokens of one reply with a single abort listener for the whole reply (not one
 * per token): with hundreds of replies streaming, listeners added and removed every few
 * milliseconds are a cost of their own.
 */
const pacer = (signal: AbortSignal) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let rejectWait: ((reason: unknown) => void) | undefined;
  const onAbort = () => {
    clearTimeout(timer);
    rejectWait?.(signal.reason);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    wait: (ms: number) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        rejectWait = reject;
        timer = setTimeout(resolve, ms);
      }),
    done: () => signal.removeEventListener('abort', onAbort),
  };
};

/** A step of a demo reply: a chunk as it is, text streamed token by token, or a pause. */
type Step = ProviderChunk | { type: 'say'; body: string; pace: number } | { type: 'pause'; ms: number };

/** A small, stable hash so the same prompt always gets the same reply. */
const hash = (text: string): number => {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};

const openers = ['Here is what I can tell you.', 'Good question.', 'Let me walk through it.', 'Sure.'];

/** The deterministic markdown reply to an ordinary prompt. */
export const demoReply = (prompt: string): string => {
  const quoted = prompt.length > 120 ? `${prompt.slice(0, 117)}...` : prompt;
  const opener = openers[hash(prompt) % openers.length];
  return [
    `${opener} You wrote: *${quoted.replace(/[*_`]/g, '')}*`,
    '',
    'This reply comes from the built-in **demo** provider, which runs offline and answers the same prompt the same way every time. A few things to try:',
    '',
    '- `/markdown` shows headings, a table and code',
    '- `/tool` asks the page to run a client tool',
    '- `/widget`, `/widgets`, `/form`, `/workflow`, `/progress`, `/notice`',
    '- `/error` and `/slow` exercise failures and cancellation',
    '',
    'Set `CHAT_PROVIDER=openai` with an API key to talk to a real model.',
  ].join('\n');
};

/** The reply to `/long`: numbered lines of about 2,000 tokens in all, for long streams and load tests. */
export const longReply = Array.from(
  { length: 200 },
  (_, i) => `Line ${i + 1} of a long reply, streamed one word at a time.`,
).join('\n');

const markdownShowcase = [
  '# Markdown showcase',
  '',
  'Text with **bold**, *italic*, `inline code` and a [link](https://example.com).',
  '',
  '## A list',
  '',
  '1. First',
  '2. Second',
  '   - nested',
  '',
  '> A quotation, for good measure.',
  '',
  '| Door | Transport |',
  '| --- | --- |',
  '| `/chatkit` | SSE |',
  '| `/ws/chat` | WebSocket |',
  '',
  '```ts',
  "const client = new CartritaClient({ baseURL: 'http://localhost:8000' });",
  'for await (const event of stream) console.log(event.type);',
  '```',
].join('\n');

const widget: WidgetRoot = {
  type: 'Card',
  id: 'demo-card',
  children: [
    { type: 'Title', value: 'Pick a colour' },
    { type: 'Text', id: 'demo-text', value: '', streaming: true },
    {
      type: 'Row',
      children: ['red', 'green', 'blue'].map((colour) => ({
        type: 'Button',
        label: colour,
        onClickAction: { type: 'demo.pick', payload: { colour }, handler: 'server' },
      })),
    },
  ],
};

/**
 * The `/widgets` card: one of every component of ChatKit's catalogue. It is a form (`asForm`): its
 * confirm button sends `demo.submit` with the fields' values, and the card shows what arrived.
 */
const catalogueCard: WidgetRoot = {
  type: 'Card',
  id: 'demo-catalogue',
  size: 'md',
  padding: 4,
  asForm: true,
  status: { text: 'Every widget component' },
  confirm: { label: 'Book', action: { type: 'demo.submit', payload: { form: 'booking' } } },
  cancel: { label: 'Not now', action: { type: 'demo.submit', payload: { form: 'cancelled' } } },
  children: [
    { type: 'Title', value: 'Book a table', size: 'lg' },
    { type: 'Caption', value: 'A card with one of every component', color: 'secondary' },
    {
      type: 'Row',
      gap: 2,
      align: 'center',
      children: [
        { type: 'Icon', name: 'calendar', color: 'info' },
        { type: 'Badge', label: 'New', color: 'success', pill: true },
        { type: 'Spacer' },
        { type: 'Image', src: 'https://example.com/logo.png', alt: 'The restaurant', size: 32 },
      ],
    },
    { type: 'Divider', spacing: 2 },
    {
      type: 'Col',
      gap: 2,
      children: [
        { type: 'Label', value: 'Your name', fieldName: 'guest.name' },
        { type: 'Input', name: 'guest.name', placeholder: 'Ada Lovelace', required: true },
        { type: 'Label', value: 'Notes', fieldName: 'notes' },
        { type: 'Textarea', name: 'notes', defaultValue: 'A window seat', rows: 2 },
        { type: 'Label', value: 'Guests', fieldName: 'guests' },
        {
          type: 'Select',
          name: 'guests',
          defaultValue: '2',
          options: [
            { value: '1', label: 'One' },
            { value: '2', label: 'Two' },
            { value: '4', label: 'Four' },
          ],
        },
        { type: 'Label', value: 'Date', fieldName: 'date' },
        { type: 'DatePicker', name: 'date', defaultValue: '2026-12-24' },
        { type: 'Checkbox', name: 'terrace', label: 'On the terrace' },
        {
          type: 'RadioGroup',
          name: 'time',
          ariaLabel: 'Time',
          direction: 'row',
          defaultValue: 'evening',
          options: [
            { value: 'noon', label: 'Noon' },
            { value: 'evening', label: 'Evening' },
          ],
        },
      ],
    },
    { type: 'Markdown', value: 'Prices in **euros**; see the table.' },
    {
      type: 'Table',
      children: [
        {
          type: 'Table.Row',
          children: [
            { type: 'Table.Cell', children: [{ type: 'Text', value: 'Menu' }] },
            { type: 'Table.Cell', children: [{ type: 'Text', value: '42' }] },
          ],
        },
      ],
    },
    {
      type: 'Chart',
      data: [
        { day: 'Fri', tables: 12 },
        { day: 'Sat', tables: 18 },
      ],
      series: [{ type: 'bar', dataKey: 'tables', label: 'Tables booked' }],
      xAxis: 'day',
    },
    {
      type: 'Transition',
      children: { type: 'Text', id: 'demo-received', value: 'Nothing sent yet.', color: 'secondary' },
    },
  ],
};

/** The `/widgets` list: clickable items, one beyond its `limit`. */
const catalogueList: WidgetRoot = {
  type: 'ListView',
  id: 'demo-list',
  limit: 3,
  children: [
    { type: 'ListViewItem', children: [{ type: 'Text', id: 'demo-choice', value: 'Choose a colour.' }] },
    ...['red', 'green', 'blue'].map((colour) => ({
      type: 'ListViewItem',
      gap: 2,
      onClickAction: { type: 'demo.choose', payload: { colour } },
      children: [
        { type: 'Icon', name: 'star' },
        { type: 'Text', value: colour },
      ],
    })),
  ],
};

const form: StructuredInputQuestion[] = [
  {
    type: 'multiple_choice',
    id: 'size',
    question: 'Which size do you want?',
    options: [{ value: 'small' }, { value: 'medium' }, { value: 'large' }],
    multiple: false,
  },
  { type: 'freeform', id: 'notes', question: 'Anything else?', description: 'Optional' },
];

/** The reply to `/sources`: text with a deep link into the page, cited by the sources below. */
export const sourcesReply =
  'The answer draws on four sources. [Open order 42](chatkit-link://orders/open?id=42&tab=items) to see it on the page.';

/** The citations of `/sources`: a web page, a file, an entity the page can click and preview, and one it cannot. */
const demoSources: Annotation[] = [
  {
    type: 'annotation',
    source: { type: 'url', url: 'https://example.com/docs/orders', title: 'Orders guide' },
  },
  { type: 'annotation', source: { type: 'file', filename: 'orders.csv', title: 'orders.csv' } },
  {
    type: 'annotation',
    source: {
      type: 'entity',
      id: 'order_42',
      title: 'Order 42',
      group: 'Orders',
      interactive: true,
      data: { status: 'shipped' },
    },
  },
  {
    type: 'annotation',
    source: {
      type: 'entity',
      id: 'team_ops',
      title: 'Operations team',
      group: 'Teams',
      interactive: false,
      data: {},
    },
  },
];

/** The composer tools the demo provider honours. */
const demoTools = [{ id: 'search', label: 'Search' }] as const;

/** The reply to a message sent with the `search` tool: the same three made-up pages for any query. */
export const searchReply = (query: string): string => {
  const quoted = query.replace(/[*_`[\]]/g, '');
  return [
    `**Search** results for *${quoted}*:`,
    '',
    '1. [Getting started](https://example.com/docs/getting-started): install the widget with one script tag.',
    '2. [Configuration](https://example.com/docs/configuration): every setting and its default.',
    '3. [Troubleshooting](https://example.com/docs/troubleshooting): the errors you may see and what they mean.',
    '',
    'The demo provider finds the same three pages for every query.',
  ].join('\n');
};

/**
 * The built-in provider: offline and deterministic. It streams a markdown reply token by token at
 * `paceMs`, and has scripted prompts (documented in docs/demo-provider.md) that exercise every
 * path of the protocol.
 */
export const createDemoProvider = (options: DemoProviderOptions = {}): ChatProvider => {
  const paceMs = options.paceMs ?? 15;

  /**
   * What the reply to a request is: the chunks it sends, the text it streams token by token (`say`),
   * and the pauses between them; and whether it ends with its usage.
   */
  const script = ({ messages, toolChoice }: ProviderRequest): { steps: Step[]; usage: boolean } => {
    const last = messages.at(-1);
    const lastUser = [...messages].reverse().find((m: ChatMessage) => m.role === 'user');
    const prompt = (lastUser?.content ?? '').trim();
    const command = prompt.toLowerCase();
    const system = messages.find((m: ChatMessage) => m.role === 'system');
    const source = system ? bestSource(system.content) : undefined;
    const say = (body: string, pace = paceMs): Step => ({ type: 'say', body, pace });
    const reply = (...steps: Step[]) => ({ steps, usage: true });

    if (last?.role === 'tool') {
      return reply(
        say(`The page answered the **${last.toolName}** tool:\n\n\`\`\`json\n${last.content}\n\`\`\``),
      );
    }
    switch (command) {
      case '/tool':
        return {
          steps: [
            { type: 'client_tool_call', name: 'get_page_info', arguments: { fields: ['title', 'url'] } },
          ],
          usage: false,
        };
      case '/widget':
        return reply({
          type: 'widget',
          widget,
          copyText: 'Pick a colour',
          streamText: { componentId: 'demo-text', text: 'Red, green or blue: the choice is yours.' },
        });
      case '/widgets':
        return reply(
          { type: 'widget', widget: catalogueCard, copyText: 'Book a table' },
          { type: 'widget', widget: catalogueList, copyText: 'Choose a colour' },
        );
      case '/form':
        return {
          steps: [say('A couple of questions first.'), { type: 'structured_input', inputs: form }],
          usage: false,
        };
      case '/workflow':
        return reply(
          {
            type: 'workflow',
            kind: 'reasoning',
            tasks: [
              {
                type: 'thought',
                status_indicator: 'complete',
                title: 'Reading the question',
                content: 'The user asked for a workflow.',
              },
              {
                type: 'custom',
                status_indicator: 'complete',
                title: 'Planning',
                content: 'Two steps are enough.',
              },
            ],
          },
          say('Done thinking: here is the answer.'),
        );
      case '/progress':
        return reply(
          ...['Searching the docs...', 'Reading three pages...', 'Writing the answer...'].flatMap(
            (step): Step[] => [
              { type: 'progress', text: step, icon: 'search' },
              { type: 'pause', ms: Math.max(paceMs * 10, 1) },
            ],
          ),
          say('All three steps are done.'),
        );
      case '/notice':
        return reply(
          {
            type: 'notice',
            level: 'warning',
            title: 'Heads up',
            message: 'This is a **notice** from the demo provider.',
          },
          say('A notice was shown above.'),
        );
      case '/error':
        return {
          steps: [
            say('Starting, then failing...'),
            { type: 'error', message: 'The demo provider failed on purpose.', allowRetry: true },
          ],
          usage: false,
        };
      case '/slow':
        return reply(say(demoReply(prompt), Math.max(paceMs, 1) * 20));
      case '/long':
        return reply(say(longReply));
      case '/sources':
        return reply(
          say(sourcesReply),
          ...demoSources.map((annotation): Step => ({ type: 'annotation', annotation })),
        );
      case '/markdown':
        return reply(say(markdownShowcase));
    }
    if (toolChoice === 'search') {
      return reply(
        { type: 'progress', text: `Searching for "${prompt}"...`, icon: 'search' },
        say(searchReply(prompt)),
      );
    }
    // File-aware chat: the answer is the best passage, naming its file.
    if (source) return reply(say(`From **${source.filename}**: ${source.chunk}`));
    return reply(say(demoReply(prompt)));
  };

  /**
   * Runs a request's script. Its text goes out token by token in this one loop (not through a
   * generator per piece of text): with thousands of replies open, every layer a token passes
   * through is a few hundred bytes a reply, held for as long as it streams.
   */
  async function* stream(request: ProviderRequest): AsyncGenerator<ProviderChunk> {
    const { signal } = request;
    const { steps, usage } = script(request);
    let tokens = 0;
    const waits = pacer(signal);
    try {
      for (const step of steps) {
        if (step.type === 'pause') {
          await waits.wait(step.ms);
        } else if (step.type === 'say') {
          for (const delta of eachToken(step.body)) {
            if (step.pace > 0) await waits.wait(step.pace);
            else if (signal.aborted) throw signal.reason;
            tokens++;
            yield { type: 'text', delta };
          }
        } else {
          yield step;
        }
      }
    } finally {
      waits.done();
    }
    if (!usage) return;
    const promptTokens = request.messages.reduce((n, m) => n + tokenize(m.content).length, 0);
    yield {
      type: 'usage',
      usage: { prompt_tokens: promptTokens, completion_tokens: tokens, total_tokens: promptTokens + tokens },
    };
  }

  /**
   * The colour buttons of the `/widget` card (its text says which one was picked), and the form and
   * the list of `/widgets` (the card shows the payload that arrived, the list the colour chosen).
   */
  const action = (widget: WidgetRoot, { type, payload }: WidgetAction): WidgetRoot | undefined => {
    const colour = String((payload as { colour?: unknown } | undefined)?.colour ?? 'nothing');
    if (type === 'demo.pick') return setComponentValue(widget, 'demo-text', `You picked ${colour}.`);
    if (type === 'demo.choose') return setComponentValue(widget, 'demo-choice', `You chose ${colour}.`);
    if (type === 'demo.submit')
      return setComponentValue(widget, 'demo-received', `Received: ${JSON.stringify(payload ?? null)}`);
    return undefined;
  };

  return { name: 'demo', defaultModel: 'demo-1', offline: true, tools: demoTools, stream, action };
};
