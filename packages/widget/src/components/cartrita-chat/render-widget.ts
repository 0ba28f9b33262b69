import type { Action } from '@cartrita/contracts';
import { html, nothing, type TemplateResult } from 'lit';

/** What {@link renderWidget} needs from the element. */
export interface WidgetContext {
  /** A request streams: buttons are disabled. */
  busy: boolean;
  /** Whether an image URL may load. */
  isAllowedImage: (url: string) => boolean;
  /** Runs a button's action. */
  onAction: (action: Action) => void;
  /** Markdown for a `Markdown` component. */
  markdown: (text: string, done: boolean) => unknown;
}

type WidgetNode = Record<string, unknown>;

const isNode = (value: unknown): value is WidgetNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

const isAction = (value: unknown): value is Action => isNode(value) && typeof value.type === 'string';

type Rendered = TemplateResult | string | typeof nothing;

/**
 * Renders a ChatKit widget tree as a readable card. Every string from the server goes in as text,
 * never as HTML. Layout components (Card, ListView, Row, Col, Box, Form) keep their children;
 * Title, Text, Caption, Badge, Markdown, Divider, Image (allowed origins only) and Button render as
 * themselves; anything unknown shows its text.
 */
export const renderWidget = (node: unknown, context: WidgetContext): Rendered => {
  if (typeof node === 'string') return node;
  if (!isNode(node)) return nothing;
  const children = (): Rendered[] | typeof nothing =>
    Array.isArray(node.children) ? node.children.map((child) => renderWidget(child, context)) : nothing;
  switch (node.type) {
    case 'Card':
      return html`<div part="widget-card" class="card">${children()}</div>`;
    case 'ListView':
      return html`<ul part="widget-list" class="col">${children()}</ul>`;
    case 'ListViewItem':
      return html`<li class="row">${children()}</li>`;
    case 'Row':
      return html`<div class="row">${children()}</div>`;
    case 'Col':
    case 'Box':
    case 'Form':
    case 'Basic':
      return html`<div class="col">${children()}</div>`;
    case 'Title':
      return html`<p class="w-title">${text(node.value)}</p>`;
    case 'Text':
      return html`<p>${text(node.value)}</p>`;
    case 'Caption':
      return html`<p class="caption">${text(node.value)}</p>`;
    case 'Markdown':
      return html`<div class="md" ${context.markdown(text(node.value), node.streaming !== true)}></div>`;
    case 'Badge':
      return html`<span class="chip">${text(node.label)}</span>`;
    case 'Divider':
      return html`<hr />`;
    case 'Spacer':
    case 'Icon':
      return nothing;
    case 'Image': {
      const src = text(node.src);
      return context.isAllowedImage(src) ? html`<img src=${src} alt=${text(node.alt)} />` : text(node.alt);
    }
    case 'Button': {
      const action = node.onClickAction;
      return html`<button
        part="widget-button"
        type="button"
        class="button"
        ?disabled=${context.busy || !isAction(action)}
        @click=${() => isAction(action) && context.onAction(action)}
      >
        ${text(node.label)}
      </button>`;
    }
    default: {
      const words = [node.value, node.label, node.text, node.title].map(text).filter(Boolean).join(' ');
      return html`${words ? html`<span>${words}</span>` : nothing}${children()}`;
    }
  }
};
