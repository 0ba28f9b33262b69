type HighlightModule = typeof import('./highlight.js');

let loaded: HighlightModule | undefined;
let failed = false;
let loading: Promise<boolean> | undefined;
/** The last request of each code element that asked before the highlighter was loaded. */
const pending = new Map<HTMLElement, (module: HighlightModule) => void>();

function apply(module: HighlightModule, code: HTMLElement, text: string, language: string): void {
  // The block may have been replaced (a streamed tail) or changed since it asked; leave it alone then.
  if (code.textContent !== text) return;
  const fragment = module.highlightCode(code.ownerDocument, text, language);
  if (fragment === null) return;
  code.replaceChildren(fragment);
  module.adoptHighlightTheme(code);
}

/**
 * Starts loading the syntax highlighter chunk (once) and resolves when it is ready, after every code
 * block rendered so far has been highlighted in place. Resolves `false` when the chunk failed to load;
 * code then stays plain text and no further load is attempted.
 *
 * @example
 * // Warm the chunk while the user types, so the first reply with code is highlighted at once.
 * composer.addEventListener('focus', () => void preloadHighlighter(), { once: true });
 */
export function preloadHighlighter(): Promise<boolean> {
  loading ??= import('./highlight.js').then(
    (module) => {
      loaded = module;
      for (const highlight of pending.values()) highlight(module);
      pending.clear();
      return true;
    },
    () => {
      failed = true;
      pending.clear();
      return false;
    },
  );
  return loading;
}

/**
 * Highlights a `<code>` element holding `text`: at once when the highlighter is loaded, otherwise after
 * the load this call starts. Used by the renderer; exported for components that render code themselves.
 */
export function requestHighlight(code: HTMLElement, text: string, language: string): void {
  if (loaded !== undefined) {
    apply(loaded, code, text, language);
    return;
  }
  if (failed) return;
  pending.set(code, (module) => apply(module, code, text, language));
  void preloadHighlighter();
}
