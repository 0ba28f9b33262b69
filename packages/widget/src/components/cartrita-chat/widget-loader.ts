import { html, nothing } from 'lit';
import type { WidgetContext } from '../widgets/catalogue.js';
import { adoptStyles } from './lazy-styles.js';

type Catalogue = typeof import('../widgets/catalogue.js');

/**
 * What a widget needs from the element: the catalogue's context (which adds the element's Lit), the
 * shadow root that adopts the catalogue's styles, and the texts shown while it loads or if it cannot.
 */
export type WidgetHost = Omit<WidgetContext, 'lit' | 'strings'> & {
  /** The element's shadow root, which adopts the catalogue's styles. */
  root: Node;
  strings: WidgetContext['strings'] & { loading: string; error: string };
};

let loaded: Catalogue | undefined;
let failed = false;
let loading: Promise<unknown> | undefined;
/** Elements waiting for the catalogue, rendered again when it arrives. */
const waiting = new Set<() => void>();
/** Widgets already reported as impossible to show. */
const reported = new WeakSet<object>();

/** Starts loading the widget catalogue (once). */
export const loadWidgets = (): Promise<unknown> =>
  (loading ??= import('../widgets/catalogue.js')
    .then(
      (module) => {
        loaded = module;
      },
      () => {
        failed = true;
      },
    )
    .finally(() => {
      for (const refresh of waiting) refresh();
      waiting.clear();
    }));

/**
 * Renders a widget tree with the catalogue, which loads on the first widget (the script-tag file
 * carries none of it). Until it has loaded the widget shows a loading line; if it cannot load, the
 * widget's text, and a `cartrita-error` through `onUnknown`.
 */
export const renderWidget = (widget: unknown, host: WidgetHost): unknown => {
  if (loaded) {
    adoptStyles(host.root, loaded.widgetStyles);
    return loaded.renderWidgetTree(widget, { ...host, lit: { html, nothing } });
  }
  if (failed) {
    if (typeof widget === 'object' && widget !== null && !reported.has(widget)) {
      reported.add(widget);
      host.onUnknown('the widget catalogue could not be loaded');
    }
    return html`<p class="caption">${host.strings.error}</p>`;
  }
  waiting.add(host.refresh);
  void loadWidgets();
  return html`<p class="caption" aria-busy="true">${host.strings.loading}</p>`;
};
