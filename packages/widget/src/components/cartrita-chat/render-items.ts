import type {
  Action,
  Annotation,
  AssistantMessageItem,
  StructuredInputItem,
  Task,
  ThreadItem,
  UserMessageItem,
  WorkflowItem,
} from '@cartrita/contracts';
import { html, nothing, type TemplateResult } from 'lit';
import type { ItemEnding } from '../../controllers/thread-model.js';
import { format, type Strings } from '../../locales/en.js';
import { safeLinkUrl } from '../../markdown/url-policy.js';
import type { EntityCallbacks, EntityHost } from '../entities/entities.js';
import { entitiesPart } from './entities-loader.js';
import { iconButton } from './icon-button.js';
import { icons } from './icons.js';
import { renderWidget } from './widget-loader.js';

/** What the item templates need from the element. */
export interface ItemContext {
  strings: Strings;
  /** A request streams. */
  busy: boolean;
  /** Which actions answers offer (each on unless `false`). */
  actions: { feedback?: boolean | undefined; retry?: boolean | undefined };
  /** The item still streams. */
  pending: (id: string) => boolean;
  /** How the item was cut short while it streamed, if it was. */
  ending: (id: string) => ItemEnding | undefined;
  /** Actions (retry) are offered on this item: the newest answer. */
  isLastAnswer: (id: string) => boolean;
  /** Feedback given on an item. */
  feedback: (id: string) => 'positive' | 'negative' | undefined;
  /** The item whose text was just copied. */
  copied: string | undefined;
  isAllowedImage: (url: string) => boolean;
  markdown: (text: string, done: boolean) => unknown;
  onCopy: (item: ThreadItem) => void;
  onRetry: (item: ThreadItem) => void;
  onRate: (item: ThreadItem, kind: 'positive' | 'negative') => void;
  onAction: (item: ThreadItem, action: Action) => void;
  /** The page's entity callbacks: tags and entity sources are plain text without them. */
  entities: EntityCallbacks;
  /** A widget holds a component of a type the widget cannot show. */
  onUnknown: (item: ThreadItem, type: string) => void;
  /** Renders the element again. */
  refresh: () => void;
  /** The element's shadow root. */
  root: Node;
  onAnswer: (item: StructuredInputItem, form: HTMLFormElement | null, skipped: boolean) => void;
}

/** The element around every item: its parts, class, id, type and whether it streams, is done or was cut short. */
const frame = (item: ThreadItem, c: ItemContext, role: string, body: unknown) =>
  html`<div
    part="item ${role}"
    class="item ${role}"
    data-item-id=${item.id}
    data-item-type=${item.type}
    data-status=${c.pending(item.id) ? 'streaming' : (c.ending(item.id) ?? 'done')}
  >
    ${body}
  </div>`;

/** What the entities part needs: the item context, the element's Lit and the widget renderer. */
const entityHost = (c: ItemContext): EntityHost => ({ context: c, lit: { html, nothing }, renderWidget });

/**
 * A part of what the user sent: text as text, a tagged entity through the entities part (plain until
 * it loads).
 */
const bubblePart = (c: ItemContext) => (part: UserMessageItem['content'][number]) =>
  part.type !== 'input_tag'
    ? part.text
    : html`${entitiesPart(c.root, c.refresh)?.renderTag(part, entityHost(c)) ?? html`<span part="tag" class="tag">${part.text}</span>`} `;

const renderUser = (item: UserMessageItem, c: ItemContext) =>
  frame(
    item,
    c,
    'user-message',
    html`<span class="sr-only">${c.strings.you}:</span>
      <div part="bubble" class="bubble" dir="auto">${item.content.map(bubblePart(c))}</div>
      ${
        item.attachments.length
          ? html`<ul part="message-attachments" class="chips">
            ${item.attachments.map(
              (a) =>
                html`<li class="chip">
                  ${
                    a.type === 'image' && c.isAllowedImage(a.preview_url)
                      ? html`<img src=${a.preview_url} alt="" />`
                      : nothing
                  }${a.name}
                </li>`,
            )}
          </ul>`
          : nothing
      }`,
  );

/** The sources of an answer, from the entities part (which loads on the first answer with sources). */
const renderSources = (annotations: Annotation[], c: ItemContext) =>
  annotations.length
    ? (entitiesPart(c.root, c.refresh)?.renderSources(annotations, entityHost(c), safeLinkUrl) ?? nothing)
    : nothing;

/**
 * The caption and buttons under an answer once it stops streaming: copy, feedback and retry. An answer
 * cut off by a failure is marked incomplete and cannot be rated; retry answers it again.
 */
const renderActions = (item: ThreadItem, c: ItemContext, copyable: boolean) => {
  if (c.pending(item.id)) return nothing;
  const s = c.strings;
  const rated = c.feedback(item.id);
  const ending = c.ending(item.id);
  return html`<div part="message-actions" class="actions">
    ${ending ? html`<span part=${ending} class="caption">${s[ending]}</span>` : nothing}
    ${copyable ? iconButton('action-button', c.copied === item.id ? s.copied : s.copy, icons.copy, () => c.onCopy(item)) : nothing}
    ${
      ending === 'incomplete' || c.actions.feedback === false
        ? nothing
        : html`${iconButton('action-button', s.good, icons.thumb, () => c.onRate(item, 'positive'), {
            pressed: rated === 'positive',
          })}
          <span class="flip">${iconButton(
            'action-button',
            s.bad,
            icons.thumb,
            () => c.onRate(item, 'negative'),
            {
              pressed: rated === 'negative',
            },
          )}</span>`
    }
    ${c.isLastAnswer(item.id) && !c.busy && c.actions.retry !== false ? iconButton('action-button', s.retry, icons.retry, () => c.onRetry(item)) : nothing}
  </div>`;
};

const renderAssistant = (item: AssistantMessageItem, c: ItemContext) => {
  const done = !c.pending(item.id);
  return frame(
    item,
    c,
    'assistant-message',
    html`<span class="sr-only">${c.strings.assistant}:</span>
      ${item.content.map(
        (part) =>
          html`<div part="markdown" class="md" dir="auto" ${c.markdown(part.text, done)}></div>
            ${renderSources(part.annotations ?? [], c)}`,
      )}
      ${renderActions(item, c, true)}`,
  );
};

const renderTask = (task: Task, strings: Strings) => {
  const detail = 'content' in task ? task.content : 'queries' in task ? task.queries.join(', ') : undefined;
  return html`<li data-status=${task.status_indicator ?? 'none'}>
    <span>${task.title ?? (task.type === 'thought' ? '' : strings.steps)}</span>
    ${detail ? html`<p class="caption">${detail}</p>` : nothing}
  </li>`;
};

const renderWorkflow = (item: WorkflowItem, c: ItemContext) => {
  const { summary, tasks, expanded } = item.workflow;
  const title =
    summary && 'title' in summary
      ? summary.title
      : summary && 'duration' in summary
        ? format(c.strings.thoughtFor, { count: summary.duration })
        : c.strings.steps;
  return frame(
    item,
    c,
    'workflow',
    html`<details part="workflow" class="card" ?open=${expanded}>
      <summary>${title}</summary>
      <ol>
        ${tasks.map((task) => renderTask(task, c.strings))}
      </ol>
    </details>`,
  );
};

const renderForm = (item: StructuredInputItem, c: ItemContext) => {
  const open = item.status === 'pending';
  const s = c.strings;
  return frame(
    item,
    c,
    'structured-input',
    html`<form
      part="form"
      class="card form"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        c.onAnswer(item, event.currentTarget as HTMLFormElement, false);
      }}
    >
      ${item.inputs.map((q) => {
        const values = q.answer?.values ?? [];
        return q.type === 'multiple_choice'
          ? html`<fieldset ?disabled=${!open}>
              <legend>${q.question}</legend>
              ${q.options.map(
                (o) =>
                  html`<label class="row"
                    ><input
                      type=${q.multiple ? 'checkbox' : 'radio'}
                      name=${q.id}
                      .value=${o.value}
                      ?checked=${values.includes(o.value)}
                    />${o.value}</label
                  >`,
              )}
            </fieldset>`
          : html`<label class="field"
              >${q.question} ${q.description ? html`<span class="caption">${q.description}</span>` : nothing}
              <textarea name=${q.id} rows="2" ?disabled=${!open} .value=${values.join('\n')}></textarea
            ></label>`;
      })}
      ${
        open
          ? html`<div class="row">
            <button part="form-submit" class="button primary" type="submit" ?disabled=${c.busy}>${s.submit}</button>
            <button class="button" type="button" ?disabled=${c.busy} @click=${() => c.onAnswer(item, null, true)}>
              ${s.skip}
            </button>
          </div>`
          : nothing
      }
    </form>`,
  );
};

/** The template of one thread item; `end_of_turn` and unknown items render nothing. */
export const renderItem = (item: ThreadItem, c: ItemContext): TemplateResult | typeof nothing => {
  switch (item.type) {
    case 'user_message':
      return renderUser(item, c);
    case 'assistant_message':
      return renderAssistant(item, c);
    case 'client_tool_call':
      return frame(
        item,
        c,
        'tool-call',
        html`<p part="tool-call" class="caption">
          ${format(item.status === 'pending' ? c.strings.toolRunning : c.strings.toolDone, { name: item.name })}
        </p>`,
      );
    case 'widget':
      return frame(
        item,
        c,
        'widget',
        html`${renderWidget(item.widget, {
          ...c,
          itemId: item.id,
          onAction: (action) => c.onAction(item, action),
          onUnknown: (type) => c.onUnknown(item, type),
        })}
        ${renderActions(item, c, !!item.copy_text)}`,
      );
    case 'workflow':
      return renderWorkflow(item, c);
    case 'task':
      return frame(item, c, 'task', html`<ul>${renderTask(item.task, c.strings)}</ul>`);
    case 'structured_input':
      return renderForm(item, c);
    case 'generated_image':
      return item.image && c.isAllowedImage(item.image.url)
        ? frame(item, c, 'image', html`<img part="image" src=${item.image.url} alt="" />`)
        : nothing;
    default:
      return nothing;
  }
};
