/** Style sheets of lazily loaded parts, made once and adopted once per shadow root. */
const sheets = new Map<string, CSSStyleSheet>();
const adopted = new WeakMap<Node, Set<string>>();

/** Adds `css` to the shadow root `root` (once). */
export const adoptStyles = (root: Node, css: string): void => {
  if (!(root instanceof ShadowRoot)) return;
  const done = adopted.get(root) ?? new Set<string>();
  if (done.has(css)) return;
  done.add(css);
  adopted.set(root, done);
  let sheet = sheets.get(css);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    sheets.set(css, sheet);
  }
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
};
