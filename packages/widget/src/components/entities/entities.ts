/**
 * @module The entities part, loaded on demand (`cartrita-chat.entities.js`): the sources under an
 * answer (links, files, entities), the tags of sent messages, the hover preview of an entity the page
 * answers through `entities.onRequestPreview`, and `chatkit-link://` deep links. It renders with the
 * element's Lit, passed in, so the script-tag file carries none of this.
 */
import type { Annotation, Source } from '@cartrita/contracts';
import { CartritaDeeplinkEvent } from '../../events/deeplink.js';
import { CartritaErrorEvent } from '../../events/error.js';
import type { WidgetHost } from '../cartrita-chat/widget-loader.js';

/** What ChatKit calls an entity: a tag in a message or an entity source of an answer. */
export interface Entity {
  id: string;
  title: string;
  icon?: string | undefined;
  group?: string | undefined;
  interactive?: boolean | undefined;
  data: Record<string, unknown>;
  /** The same as `title`: what the composer's tags call it. */
  text?: string | undefined;
}

/** The page's entity callbacks, as the element passes them on. */
export interface EntityCallbacks {
  onClick?: ((entity: Entity) => void) | undefined;
  onRequestPreview?: ((entity: Entity) => Promise<{ preview: unknown }> | { preview: unknown }) | undefined;
}

/** What the entities part needs from the element: its item context, Lit and widget renderer. */
export interface EntityHost {
  context: Omit<WidgetHost, 'itemId' | 'onAction' | 'onUnknown' | 'strings'> & {
    entities: EntityCallbacks;
    strings: WidgetHost['strings'] & { sources: string };
  };
  lit: { html: typeof import('lit').html; nothing: typeof import('lit').nothing };
  renderWidget: (widget: unknown, host: WidgetHost) => unknown;
}

/** Styles the element adopts with this part. */
export const entityStyles = `.entity{position:relative;display:inline-block}
.entity>button{font:inherit;color:inherit;background:none;border:0;padding:0;text-decoration:underline dotted;cursor:pointer}
.entity-preview{position:absolute;inset-block-end:100%;inset-inline-start:0;z-index:2;min-inline-size:14em;max-inline-size:20em;padding:.5rem;background:var(--_bg,Canvas);color:var(--_fg,CanvasText);border:1px solid var(--_b);border-radius:var(--_r);box-shadow:0 4px 16px #0003}`;

/** Previews asked for, by entity id: `null` while the page answers or when it has none. */
const previews = new Map<string, { preview: unknown } | null>();
/** The entity whose preview shows (hovered or focused). */
let shown: string | undefined;

const show = (entity: Entity, host: EntityHost) => {
  shown = entity.id;
  entity = { ...entity, text: entity.title };
  const { entities, refresh } = host.context;
  const ask = entities.onRequestPreview;
  if (ask && !previews.has(entity.id)) {
    previews.set(entity.id, null);
    Promise.resolve()
      .then(() => ask(entity))
      .then(
        (answer) => previews.set(entity.id, answer?.preview ? { preview: answer.preview } : null),
        // The page's callback failed: its element reports it as any failure.
        (error: unknown) =>
          (host.context.root as ShadowRoot).host?.dispatchEvent(
            new CartritaErrorEvent({ error, message: String(error) }),
          ),
      )
      .finally(refresh);
  }
  refresh();
};

const hide = (entity: Entity, host: EntityHost) => {
  if (shown === entity.id) shown = undefined;
  host.context.refresh();
};

/** A preview widget: something to look at, so its actions do nothing. */
const renderPreview = (widget: unknown, { context, renderWidget }: EntityHost) =>
  renderWidget(widget, { ...context, itemId: '', onAction: () => {}, onUnknown: () => {} });

/** A tag of a sent message (an `input_tag` part). */
export const renderTag = (
  tag: { id: string; text: string; data: Record<string, unknown>; group?: string | null | undefined },
  host: EntityHost,
): unknown =>
  renderEntity(
    { id: tag.id, title: tag.text, data: tag.data, ...(tag.group ? { group: tag.group } : {}) },
    'tag',
    host,
  );

/**
 * An entity as the page sees it: a button when the page handles clicks or previews (focus and hover
 * ask for the preview, which shows above it), else plain text.
 */
export const renderEntity = (entity: Entity, part: string, host: EntityHost): unknown => {
  const { html, nothing } = host.lit;
  const { entities } = host.context;
  if (!entities.onClick && !entities.onRequestPreview)
    return html`<span part=${part} class="tag">${entity.title}</span>`;
  const preview = shown === entity.id ? previews.get(entity.id) : undefined;
  return html`<span class="entity"
    @mouseenter=${() => show(entity, host)}
    @mouseleave=${() => hide(entity, host)}
    @focusin=${() => show(entity, host)}
    @focusout=${() => hide(entity, host)}
    ><button part=${part} type="button" class="tag" data-entity-id=${entity.id} @click=${() => entities.onClick?.({ ...entity, text: entity.title })}>
      ${entity.title}</button
    >${
      preview
        ? html`<div part="entity-preview" class="entity-preview" role="tooltip">${renderPreview(preview.preview, host)}</div>`
        : nothing
    }</span
  >`;
};

/** An entity source of an answer as an entity. */
const entityOf = (source: Extract<Source, { type: 'entity' }>): Entity => ({
  id: source.id,
  title: source.title,
  interactive: source.interactive,
  data: source.data,
  ...(source.icon ? { icon: source.icon } : {}),
  ...(source.group ? { group: source.group } : {}),
});

/**
 * The sources of an answer: URL sources are links (checked by `safeLink`, opened in a new tab),
 * interactive entity sources entities the page can click and preview (others, and file sources, their
 * title).
 */
export const renderSources = (
  annotations: readonly Annotation[],
  host: EntityHost,
  safeLink: (url: string) => string | null,
): unknown => {
  const { html } = host.lit;
  return html`<details part="sources" class="sources">
    <summary>${host.context.strings.sources} (${annotations.length})</summary>
    <ol>
      ${annotations.map(({ source }) => {
        const href = source.type === 'url' ? safeLink(source.url) : null;
        return html`<li>
          ${
            href
              ? html`<a part="source-link" href=${href} target="_blank" rel="noopener noreferrer">${source.title}</a>`
              : source.type === 'entity' && source.interactive
                ? renderEntity(entityOf(source), 'source-entity', host)
                : source.type === 'entity'
                  ? html`<span part="source-entity" class="tag">${source.title}</span>`
                  : source.title
          }
        </li>`;
      })}
    </ol>
  </details>`;
};

/**
 * What a `chatkit-link://` deep link names: `name` is what comes between `//` and the query
 * (`chatkit-link://orders/42` names `orders/42`), `data` the query's parameters, when it has any.
 */
export const deepLink = (href: string): { name: string; data?: Record<string, string> } => {
  const rest = href.replace(/^chatkit-link:\/*/i, '');
  const query = rest.indexOf('?');
  const name = decodeURIComponent((query < 0 ? rest : rest.slice(0, query)).replace(/#.*$/, ''));
  const params = new URLSearchParams(query < 0 ? '' : rest.slice(query + 1).replace(/#.*$/, ''));
  const data = Object.fromEntries(params);
  return Object.keys(data).length ? { name, data } : { name };
};

/** The event a click on a `chatkit-link://` link fires (made here, so the script-tag file has no class for it). */
export const deepLinkEvent = (href: string): CartritaDeeplinkEvent =>
  new CartritaDeeplinkEvent(deepLink(href));
