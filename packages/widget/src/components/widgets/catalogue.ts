/**
 * @module The ChatKit widget catalogue, loaded on demand (`cartrita-chat.widgets.js`) the first time a
 * thread holds a widget. It renders every component of ChatKit's catalogue (layout, text, controls,
 * form fields, lists, tables, charts as tables) with its style props, collects form values into the
 * actions it fires, and shows a visible placeholder for a component it does not know.
 *
 * It imports nothing at run time: the element hands it Lit's `html` and `nothing`, so its templates
 * render with the element's own copy of Lit. Every string from the server goes in as text or as a
 * property, never as HTML, and style values pass a whitelist before they reach `style`.
 */
import type { Action } from '@cartrita/contracts';
import type { html as litHtml, nothing as litNothing } from 'lit';

/** What the catalogue needs from the element. */
export interface WidgetContext {
  /** The element's Lit. */
  lit: { html: typeof litHtml; nothing: typeof litNothing };
  /** Nothing may be sent now: buttons and fields that fire actions are disabled. */
  busy: boolean;
  /** Whether an image URL may load. */
  isAllowedImage: (url: string) => boolean;
  /** The markdown directive for a `Markdown` component. */
  markdown: (text: string, done: boolean) => unknown;
  /** Fires an action, its payload already merged with the form's values. */
  onAction: (action: Action) => void;
  /** A component of a type the catalogue does not know was shown (once per component). */
  onUnknown: (type: string) => void;
  /** The widget item's id: what the catalogue remembers of it (an expanded list) outlives its updates. */
  itemId: string;
  /** Renders the element again (a list was expanded). */
  refresh: () => void;
  /** "Show more" and the placeholder text (`{type}` is the component's type). */
  strings: { more: string; unsupported: string };
}

type Node = Record<string, unknown>;
type Values = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isAction = (value: unknown): value is Action => isNode(value) && typeof value.type === 'string';

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

const childrenOf = (node: Node): unknown[] =>
  Array.isArray(node.children) ? node.children : node.children === undefined ? [] : [node.children];

// ---------------------------------------------------------------------------------------------------
// Style props: only values that match these shapes reach `style`, so no server string can load a URL
// or inject a declaration.

const LENGTH = /^-?\d+(?:\.\d+)?(?:px|rem|em|%|vh|vw|ch)?$/;
const COLOR = /^(?:#[\da-f]{3,8}|(?:rgb|hsl)a?\([\d\s.,%/]+\)|transparent|currentcolor)$/i;

/** ChatKit's named colours, as the element's palette. */
const palette: Record<string, string> = {
  prose: 'inherit',
  primary: 'inherit',
  emphasis: 'inherit',
  secondary: 'var(--_m)',
  tertiary: 'var(--_m)',
  danger: 'var(--_d)',
  success: 'light-dark(#1a7f37,#57d37a)',
  warning: 'light-dark(#9a6700,#e3b341)',
  caution: 'light-dark(#9a6700,#e3b341)',
  info: 'light-dark(#0969da,#58a6ff)',
  discovery: 'light-dark(#8250df,#c297ff)',
  surface: 'var(--_s)',
  white: '#fff',
  black: '#000',
};

/** A CSS length: a number is ChatKit's spacing unit (a quarter rem), a string must look like a length. */
export const space = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? `${value / 4}rem`
    : typeof value === 'string' && (LENGTH.test(value) || value === 'auto')
      ? value
      : undefined;

/** A size: a number is pixels, a string must look like a length. */
export const length = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? `${value}px` : space(value);

/** A colour: a palette name, a hex or rgb()/hsl() colour, or `{light, dark}`. */
export const color = (value: unknown): string | undefined => {
  if (isNode(value)) {
    const light = color(value.light);
    const dark = color(value.dark);
    return light && dark ? `light-dark(${light},${dark})` : (light ?? dark);
  }
  if (typeof value !== 'string') return undefined;
  return palette[value] ?? (COLOR.test(value) ? value : undefined);
};

const alignments: Record<string, string> = {
  start: 'flex-start',
  center: 'center',
  end: 'flex-end',
  baseline: 'baseline',
  stretch: 'stretch',
  between: 'space-between',
  around: 'space-around',
  evenly: 'space-evenly',
};

const textSizes: Record<string, string> = {
  xs: '.75em',
  sm: '.875em',
  md: '1em',
  lg: '1.125em',
  xl: '1.25em',
  '2xl': '1.5em',
  '3xl': '1.875em',
  '4xl': '2.25em',
  '5xl': '3em',
};

const weights: Record<string, string> = { normal: '400', medium: '500', semibold: '600', bold: '700' };

const radii: Record<string, string> = {
  none: '0',
  sm: '4px',
  md: '8px',
  lg: '12px',
  xl: '16px',
  full: '9999px',
};

const cardWidths: Record<string, string> = { sm: '20rem', md: '28rem', lg: '40rem', full: '100%' };

/** The `style` of a component from its style props; empty when it has none. */
export const styleOf = (node: Node): string => {
  const out: string[] = [];
  const put = (property: string, value: string | undefined) => {
    if (value !== undefined) out.push(`${property}:${value}`);
  };
  put('gap', space(node.gap));
  const padding = node.padding;
  if (isNode(padding)) {
    put('padding-block', space(padding.y));
    put('padding-inline', space(padding.x));
    put('padding-block-start', space(padding.top));
    put('padding-block-end', space(padding.bottom));
    put('padding-inline-start', space(padding.left));
    put('padding-inline-end', space(padding.right));
  } else put('padding', space(padding));
  const margin = node.margin;
  if (isNode(margin)) {
    put('margin-block', space(margin.y));
    put('margin-inline', space(margin.x));
  } else put('margin', space(margin));
  put('align-items', alignments[text(node.align)]);
  put('justify-content', alignments[text(node.justify)]);
  put(
    'text-align',
    ['start', 'center', 'end'].includes(text(node.textAlign)) ? text(node.textAlign) : undefined,
  );
  if (node.wrap === 'wrap' || node.wrap === true) put('flex-wrap', 'wrap');
  if (typeof node.flex === 'number' || node.flex === 'auto') put('flex', String(node.flex));
  if (node.direction === 'row' || node.direction === 'col')
    put('flex-direction', node.direction === 'row' ? 'row' : 'column');
  put('color', color(node.color));
  put('background', color(node.background));
  put('border-radius', isNode(node.radius) ? undefined : (space(node.radius) ?? radii[text(node.radius)]));
  if (node.border !== undefined) {
    const border = isNode(node.border) ? node.border : { size: node.border };
    const width = length(border.size) ?? '1px';
    put('border', `${width} solid ${color(border.color) ?? 'var(--_b)'}`);
  }
  for (const [prop, css] of [
    ['width', 'inline-size'],
    ['height', 'block-size'],
    ['minWidth', 'min-inline-size'],
    ['maxWidth', 'max-inline-size'],
    ['minHeight', 'min-block-size'],
    ['maxHeight', 'max-block-size'],
  ] as const)
    put(css, length(node[prop]));
  if (node.type !== 'Card') put('font-size', textSizes[text(node.size)]);
  put('font-weight', weights[text(node.weight)]);
  if (node.italic === true) put('font-style', 'italic');
  if (node.lineThrough === true) put('text-decoration', 'line-through');
  if (typeof node.aspectRatio === 'number' && node.aspectRatio > 0)
    put('aspect-ratio', String(node.aspectRatio));
  return out.join(';');
};

// ---------------------------------------------------------------------------------------------------
// Forms: values are collected from the form element around the control, by each field's `name`.

/**
 * The values of a form's named fields: text fields, selects and dates as strings, checkboxes as
 * booleans, a radio group as its checked value (or null). A dotted name nests: `todo.title` becomes
 * `{todo: {title}}`.
 */
export const formValues = (form: HTMLFormElement | null | undefined): Values => {
  const values: Values = {};
  if (!form) return values;
  for (const element of form.elements) {
    const field = element as HTMLInputElement;
    if (!field.name || field.disabled || field.type === 'submit' || field.type === 'button') continue;
    let value: unknown;
    if (field.type === 'checkbox') value = field.checked;
    else if (field.type === 'radio') {
      if (!field.checked) {
        if (!hasPath(values, field.name)) setPath(values, field.name, null);
        continue;
      }
      value = field.value;
    } else value = field.value;
    setPath(values, field.name, value);
  }
  return values;
};

const hasPath = (target: Values, path: string): boolean => {
  let node: unknown = target;
  for (const key of path.split('.')) {
    if (!isNode(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
};

const setPath = (target: Values, path: string, value: unknown): void => {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
    const next = isNode(node[key]) ? (node[key] as Values) : {};
    node[key] = next;
    node = next;
  }
  const last = keys.at(-1) as string;
  if (last !== '__proto__' && last !== 'constructor' && last !== 'prototype') node[last] = value;
};

/**
 * The action with the form's values merged into its payload (an object payload keeps its own keys
 * where a field has the same name; a payload that is not an object is left as it is).
 */
export const withValues = (action: Action, values: Values): Action => {
  if (Object.keys(values).length === 0) return action;
  const payload = action.payload;
  if (payload !== undefined && !isNode(payload)) return action;
  // The payload's keys come first and keep their values; the fields follow.
  const own = payload ?? {};
  return { ...action, payload: { ...own, ...values, ...own } };
};

/** The labels of a tree's `Label` components, by the field they name. */
const labelsOf = (node: unknown, labels = new Map<string, string>()): Map<string, string> => {
  if (!isNode(node)) return labels;
  if (node.type === 'Label' && typeof node.fieldName === 'string')
    labels.set(node.fieldName, text(node.value));
  for (const child of childrenOf(node)) labelsOf(child, labels);
  return labels;
};

const containsForm = (node: unknown): boolean =>
  isNode(node) && (node.type === 'Form' || childrenOf(node).some(containsForm));

/** Lists a user expanded past their `limit`, and components already reported as unknown. */
const expanded = new Set<string>();
const reported = new WeakSet<object>();
/** The action a submit button was pressed for, read by its form's submit handler. */
const submitting = new WeakMap<HTMLFormElement, Action | undefined>();

/** The component types the catalogue renders. */
export const catalogue = [
  'Basic',
  'Card',
  'ListView',
  'ListViewItem',
  'Box',
  'Row',
  'Col',
  'Form',
  'Transition',
  'Spacer',
  'Divider',
  'Title',
  'Text',
  'Caption',
  'Markdown',
  'Label',
  'Badge',
  'Icon',
  'Image',
  'Button',
  'Input',
  'Textarea',
  'Select',
  'DatePicker',
  'Checkbox',
  'RadioGroup',
  'Table',
  'Table.Row',
  'Table.Cell',
  'Chart',
] as const;

/**
 * Renders a widget tree. A tree without a `Form` renders inside a form of its own, so that its
 * fields group (radio buttons) and every button's action carries their values; a `Card` with
 * `asForm` is that form, and sends its values with its `confirm` action.
 */
export const renderWidgetTree = (root: unknown, context: WidgetContext): unknown => {
  const { html, nothing } = context.lit;
  const labels = labelsOf(root);
  /** Lists are told apart by their order in the tree, which a widget's updates keep. */
  let lists = 0;

  /** Runs an action from a control, with the values of the control's form. */
  const fire = (action: unknown, from: Element | null, extra: Values = {}) => {
    if (!isAction(action) || context.busy) return;
    const form = from?.closest('form') ?? null;
    context.onAction(withValues(action, { ...formValues(form), ...extra }));
  };

  const onSubmit = (fallback: unknown) => (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    // Only the innermost form answers.
    event.stopPropagation();
    const action = submitting.get(form) ?? fallback;
    submitting.delete(form);
    fire(action, form);
  };

  const button = (node: Node, label: string, action: unknown, submit: boolean, part = 'widget-button') => {
    const style = styleOf({ ...node, size: undefined });
    return html`<button
      part=${part}
      type=${submit ? 'submit' : 'button'}
      class="button w-button"
      data-style=${text(node.style) || (node.color === 'danger' ? 'danger' : 'secondary')}
      ?data-block=${node.block === true}
      .style=${style}
      ?disabled=${context.busy || node.disabled === true || (!submit && !isAction(action))}
      @click=${(event: Event) => {
        const target = event.currentTarget as HTMLButtonElement;
        if (submit && target.form) submitting.set(target.form, isAction(action) ? action : undefined);
        else fire(action, target);
      }}
    >
      ${icon(node.iconStart)}${label}${icon(node.iconEnd)}
    </button>`;
  };

  const icon = (name: unknown) =>
    typeof name === 'string' && name
      ? html`<span class="w-icon" data-icon=${name} aria-hidden="true">${glyphs[name] ?? '•'}</span>`
      : nothing;

  const fieldLabel = (node: Node) =>
    labels.get(text(node.name)) || text(node.ariaLabel) || text(node.placeholder) || text(node.name);

  const change = (node: Node) => (event: Event) => {
    const field = event.currentTarget as HTMLInputElement;
    if (!isAction(node.onChangeAction)) return;
    const value = field.type === 'checkbox' ? field.checked : field.value;
    fire(node.onChangeAction, field, field.name ? {} : { value });
  };

  const render = (node: unknown): unknown => {
    if (typeof node === 'string') return node;
    if (!isNode(node)) return nothing;
    const kids = () => childrenOf(node).map(render);
    const style = styleOf(node);
    switch (node.type) {
      case 'Basic':
      case 'Box':
      case 'Col':
        return html`<div class="col" .style=${style}>${kids()}</div>`;
      case 'Row':
        return html`<div class="row w-row" .style=${style}>${kids()}</div>`;
      case 'Card': {
        const confirm = isNode(node.confirm) ? node.confirm : undefined;
        const cancel = isNode(node.cancel) ? node.cancel : undefined;
        const status = isNode(node.status) ? text(node.status.text) : '';
        const width = cardWidths[text(node.size)];
        const body = html`${status ? html`<p class="caption w-status">${status}</p>` : nothing}${kids()}
          ${
            confirm || cancel
              ? html`<div class="row w-confirm">
                ${cancel ? button({ style: 'secondary' }, text(cancel.label) || 'Cancel', cancel.action, false, 'widget-button widget-cancel') : nothing}
                ${
                  confirm
                    ? button(
                        { style: 'primary' },
                        text(confirm.label) || 'OK',
                        confirm.action,
                        node.asForm === true,
                        'widget-button widget-confirm',
                      )
                    : nothing
                }
              </div>`
              : nothing
          }`;
        const cardStyle = `${style}${width ? `;max-inline-size:${width}` : ''}`;
        return node.asForm === true
          ? html`<form part="widget-card" class="card col" .style=${cardStyle} @submit=${onSubmit(confirm?.action)}>
              ${body}
            </form>`
          : html`<div part="widget-card" class="card col" .style=${cardStyle}>${body}</div>`;
      }
      case 'Form':
        return html`<form class="col w-form" .style=${style} @submit=${onSubmit(node.onSubmitAction)}>
          ${kids()}
        </form>`;
      case 'ListView': {
        const items = childrenOf(node);
        const limit = typeof node.limit === 'number' && node.limit > 0 ? node.limit : items.length;
        const key = `${context.itemId}:${lists++}`;
        const shown = expanded.has(key) ? items : items.slice(0, limit);
        return html`<ul part="widget-list" class="col w-list" .style=${style}>
            ${shown.map(render)}
          </ul>
          ${
            shown.length < items.length
              ? html`<button
                  part="widget-more"
                  type="button"
                  class="button"
                  @click=${() => {
                    expanded.add(key);
                    context.refresh();
                  }}
                >
                  ${context.strings.more} (${items.length - shown.length})
                </button>`
              : nothing
          }`;
      }
      case 'ListViewItem':
        return isAction(node.onClickAction)
          ? html`<li part="widget-list-item" class="w-item">
              <div
                class="row w-clickable"
                role="button"
                tabindex=${context.busy ? -1 : 0}
                aria-disabled=${context.busy}
                .style=${style}
                @click=${(event: Event) => fire(node.onClickAction, event.currentTarget as Element)}
                @keydown=${(event: KeyboardEvent) => {
                  if (event.key !== 'Enter' && event.key !== ' ') return;
                  event.preventDefault();
                  fire(node.onClickAction, event.currentTarget as Element);
                }}
              >
                ${kids()}
              </div>
            </li>`
          : html`<li part="widget-list-item" class="row w-item" .style=${style}>${kids()}</li>`;
      case 'Transition':
        return html`<div class="col w-transition">${kids()}</div>`;
      case 'Spacer':
        return html`<div class="w-spacer" .style=${`min-block-size:${space(node.minSize) ?? '0'}`}></div>`;
      case 'Divider':
        return html`<hr
          class="w-divider"
          .style=${`${node.spacing !== undefined ? `margin-block:${space(node.spacing) ?? '0'};` : ''}${color(node.color) ? `border-color:${color(node.color)}` : ''}`}
        />`;
      case 'Title':
        return html`<p class="w-title" .style=${style}>${text(node.value)}</p>`;
      case 'Text':
        if (isNode(node.editable) && typeof node.editable.name === 'string')
          return html`<input
            class="w-field"
            name=${node.editable.name}
            aria-label=${labels.get(node.editable.name) || text(node.editable.placeholder) || node.editable.name}
            placeholder=${text(node.editable.placeholder)}
            ?required=${node.editable.required === true}
            value=${text(node.value)}
          />`;
        return html`<p class="w-text" .style=${style}>${text(node.value)}</p>`;
      case 'Caption':
        return html`<p class="caption" .style=${style}>${text(node.value)}</p>`;
      case 'Label':
        return html`<span class="w-label" .style=${style}>${text(node.value)}</span>`;
      case 'Markdown':
        return html`<div class="md" ${context.markdown(text(node.value), node.streaming !== true)}></div>`;
      case 'Badge':
        return html`<span
          class="chip w-badge"
          data-color=${text(node.color) || 'secondary'}
          data-variant=${text(node.variant) || 'soft'}
          ?data-pill=${node.pill === true}
          >${text(node.label)}</span
        >`;
      case 'Icon':
        return html`<span
          class="w-icon"
          data-icon=${text(node.name)}
          aria-hidden="true"
          .style=${styleOf({ color: node.color, size: node.size })}
          >${glyphs[text(node.name)] ?? '•'}</span
        >`;
      case 'Image': {
        const src = text(node.src);
        return context.isAllowedImage(src)
          ? html`<img
              class="w-image"
              src=${src}
              alt=${text(node.alt)}
              .style=${`${style}${node.fit === 'contain' ? ';object-fit:contain' : ''}${typeof node.size === 'number' ? `;inline-size:${node.size}px;block-size:${node.size}px` : ''}`}
            />`
          : html`<span class="caption">${text(node.alt)}</span>`;
      }
      case 'Button':
        return button(node, text(node.label), node.onClickAction, node.submit === true);
      case 'Input':
        return html`<input
          class="w-field"
          type=${['number', 'email', 'text', 'password', 'tel', 'url'].includes(text(node.inputType)) ? text(node.inputType) : 'text'}
          name=${text(node.name)}
          aria-label=${fieldLabel(node)}
          placeholder=${text(node.placeholder)}
          pattern=${text(node.pattern) || nothing}
          ?required=${node.required === true}
          ?disabled=${node.disabled === true}
          ?autofocus=${node.autoFocus === true}
          value=${text(node.defaultValue)}
        />`;
      case 'Textarea':
        return html`<textarea
          class="w-field"
          name=${text(node.name)}
          aria-label=${fieldLabel(node)}
          placeholder=${text(node.placeholder)}
          rows=${typeof node.rows === 'number' ? node.rows : 3}
          ?required=${node.required === true}
          ?disabled=${node.disabled === true}
          .defaultValue=${text(node.defaultValue)}
        ></textarea>`;
      case 'Select': {
        const options = Array.isArray(node.options) ? node.options.filter(isNode) : [];
        const chosen = text(node.defaultValue);
        return html`<select
          class="w-field"
          name=${text(node.name)}
          aria-label=${fieldLabel(node)}
          ?required=${node.required === true}
          ?disabled=${node.disabled === true}
          @change=${change(node)}
        >
          ${
            node.placeholder !== undefined || !chosen
              ? html`<option value="" ?selected=${!chosen}>${text(node.placeholder)}</option>`
              : nothing
          }
          ${options.map(
            (option) =>
              html`<option value=${text(option.value)} ?selected=${text(option.value) === chosen} ?disabled=${option.disabled === true}>${text(option.label) || text(option.value)}</option>`,
          )}
        </select>`;
      }
      case 'DatePicker':
        return html`<input
          class="w-field"
          type="date"
          name=${text(node.name)}
          aria-label=${fieldLabel(node)}
          min=${text(node.min).slice(0, 10) || nothing}
          max=${text(node.max).slice(0, 10) || nothing}
          ?required=${node.required === true}
          ?disabled=${node.disabled === true}
          value=${text(node.defaultValue).slice(0, 10)}
          @change=${change(node)}
        />`;
      case 'Checkbox':
        return html`<label class="row w-check">
          <input
            type="checkbox"
            name=${text(node.name)}
            ?checked=${node.defaultChecked === true}
            ?required=${node.required === true}
            ?disabled=${node.disabled === true}
            @change=${change(node)}
          />
          <span>${text(node.label)}</span>
        </label>`;
      case 'RadioGroup': {
        const options = Array.isArray(node.options) ? node.options.filter(isNode) : [];
        const chosen = text(node.defaultValue);
        return html`<div
          role="radiogroup"
          class=${node.direction === 'row' ? 'row w-radios' : 'col w-radios'}
          aria-label=${fieldLabel(node)}
        >
          ${options.map(
            (option) =>
              html`<label class="row w-check">
                <input
                  type="radio"
                  name=${text(node.name)}
                  value=${text(option.value)}
                  ?checked=${text(option.value) === chosen}
                  ?required=${node.required === true}
                  ?disabled=${node.disabled === true || option.disabled === true}
                  @change=${change(node)}
                />
                <span>${text(option.label) || text(option.value)}</span>
              </label>`,
          )}
        </div>`;
      }
      case 'Table':
        return html`<div class="w-table"><table .style=${style}>
          <tbody>${kids()}</tbody>
        </table></div>`;
      case 'Table.Row':
        return html`<tr>${kids()}</tr>`;
      case 'Table.Cell':
        return html`<td .style=${style}>${kids()}${text(node.value)}</td>`;
      case 'Chart':
        return renderChart(node);
      default: {
        if (!reported.has(node)) {
          reported.add(node);
          context.onUnknown(text(node.type) || '?');
        }
        return html`<div part="widget-unknown" class="w-unknown" role="note" data-type=${text(node.type)}>
          ${context.strings.unsupported.replace('{type}', text(node.type) || '?')}
        </div>`;
      }
    }
  };

  /** A chart as the table of its data: every series a column, readable by everyone. */
  const renderChart = (node: Node) => {
    const data = Array.isArray(node.data) ? node.data.filter(isNode) : [];
    const series = Array.isArray(node.series) ? node.series.filter(isNode) : [];
    const axis = isNode(node.xAxis) ? text(node.xAxis.dataKey) : text(node.xAxis);
    const keys = series.map((s) => text(s.dataKey)).filter(Boolean);
    return html`<div class="w-table" part="widget-chart">
      <table>
        <thead>
          <tr>
            ${axis ? html`<th scope="col">${axis}</th>` : nothing}
            ${series.map((s) => html`<th scope="col">${text(s.label) || text(s.dataKey)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${data.map(
            (row) =>
              html`<tr>
                ${axis ? html`<th scope="row">${text(row[axis])}</th>` : nothing}
                ${keys.map((key) => html`<td>${text(row[key])}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  };

  const tree = render(root);
  return containsForm(root) || (isNode(root) && root.type === 'Card' && root.asForm === true)
    ? tree
    : html`<form class="w-root" @submit=${onSubmit(undefined)}>${tree}</form>`;
};

/** A few of ChatKit's icon names as text glyphs; any other icon shows a dot. */
const glyphs: Record<string, string> = {
  check: '✓',
  'check-circle': '✓',
  'check-circle-filled': '✓',
  close: '✕',
  x: '✕',
  plus: '+',
  star: '☆',
  'star-filled': '★',
  info: 'ℹ',
  'circle-question': '?',
  calendar: '📅',
  clock: '🕒',
  mail: '✉',
  phone: '☎',
  globe: '🌐',
  search: '⌕',
  'chevron-right': '›',
  'chevron-left': '‹',
  'arrow-right': '→',
  'arrow-left': '←',
  bolt: '⚡',
  sparkle: '✦',
  'map-pin': '📍',
  user: '👤',
};

/** The catalogue's styles, adopted into the element's shadow root when the module loads. */
export const widgetStyles = `
.w-root{display:contents}
.w-row{align-items:center}
.w-text,.w-title{margin:0}
.w-label{font-size:.875em;font-weight:600}
.w-field{font:inherit;color:inherit;background:var(--_bg);border:1px solid var(--_b);border-radius:calc(var(--_r)/2);padding:.4em .6em;inline-size:100%}
textarea.w-field{resize:vertical}
.w-check{gap:.5em;align-items:center}
.w-radios{gap:.25em}
.w-list{list-style:none;margin:0;padding:0}
.w-item{padding:.25em 0}
.w-item+.w-item{border-block-start:1px solid var(--_b)}
.w-clickable{cursor:pointer;border-radius:calc(var(--_r)/2);padding:.25em}
.w-clickable:hover{background:var(--_s)}
.w-clickable[aria-disabled=true]{cursor:default;opacity:.6}
.w-spacer{flex:1}
.w-divider{border:0;border-block-start:1px solid var(--_b);inline-size:100%}
.w-badge[data-color=success]{color:light-dark(#1a7f37,#57d37a)}
.w-badge[data-color=danger]{color:var(--_d)}
.w-badge[data-color=warning]{color:light-dark(#9a6700,#e3b341)}
.w-badge[data-color=info]{color:light-dark(#0969da,#58a6ff)}
.w-badge[data-color=discovery]{color:light-dark(#8250df,#c297ff)}
.w-badge[data-variant=outline]{background:none;border:1px solid currentColor}
.w-badge[data-pill]{border-radius:9999px}
.w-icon{display:inline-block;min-inline-size:1em;text-align:center}
.w-image{max-inline-size:100%;border-radius:calc(var(--_r)/2)}
.w-button[data-style=primary]{background:var(--_a);color:var(--_on);border-color:var(--_a)}
.w-button[data-style=danger]{color:var(--_d)}
.w-button[data-block]{inline-size:100%}
.w-confirm{justify-content:flex-end;gap:.5em}
.w-table{overflow-x:auto}
.w-table table{border-collapse:collapse}
.w-table :is(td,th){border:1px solid var(--_b);padding:.25em .5em;text-align:start}
.w-unknown{border:1px dashed var(--_d);color:var(--_d);border-radius:calc(var(--_r)/2);padding:.25em .5em;font-size:.875em}
.w-status{margin:0}
`;
