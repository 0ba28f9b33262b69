import { css } from 'lit';

/**
 * The styles of `<cartrita-chat>`. Pages theme it only through the `--cartrita-*` custom properties
 * (read where they are used once, else through private `--_*` variables; their defaults pick the light
 * or dark color with `light-dark()`) and the documented parts. The theme sets `color-scheme` on the
 * root: `light`, `dark`, or `light dark` for `auto`, which follows the system with no script. The
 * highlighter's token colors load with it (`highlightTheme` in `markdown/highlight.ts`). Logical
 * properties throughout, so right-to-left locales mirror the layout. Kept terse on purpose: every byte
 * counts against the script-tag budget.
 */
export const styles = css`
  :host {
    display: block;
    font: var(--cartrita-font-size, 15px) / 1.5 var(--cartrita-font-family, system-ui, sans-serif);
    text-align: start;
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  .root {
    --_a: var(--cartrita-accent, light-dark(#2456d3, #7aa7ff));
    --_on: var(--cartrita-accent-foreground, light-dark(#fff, #0b1020));
    --_bg: var(--cartrita-background, light-dark(#fff, #16181c));
    --_s: var(--cartrita-surface, light-dark(#f1f3f5, #23262c));
    --_m: var(--cartrita-muted, light-dark(#5b636d, #a3aab4));
    --_b: var(--cartrita-border, light-dark(#d5d9de, #3a3f47));
    --_d: var(--cartrita-danger, light-dark(#b42318, #ff8a80));
    --_r: var(--cartrita-radius, 12px);
    color: var(--cartrita-foreground, light-dark(#1c2024, #e7e9ec));
    color-scheme: light dark;
  }
  [data-theme='light'] {
    color-scheme: light;
  }
  [data-theme='dark'] {
    color-scheme: dark;
  }
  * {
    box-sizing: border-box;
  }
  button,
  textarea,
  input,
  select {
    font: inherit;
    color: inherit;
    background: none;
  }
  button {
    border: 0;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--cartrita-focus-ring, var(--_a));
    outline-offset: 2px;
  }
  svg {
    inline-size: 1.25em;
    block-size: 1.25em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  [data-density='compact'] .log {
    gap: 0.35rem;
    padding: 0.5rem;
  }
  [data-density='spacious'] .log {
    gap: 1.25rem;
    padding: 1rem;
  }
  .disclaimer {
    padding: 0 0.75em 0.5em;
    font-size: 0.8em;
    color: var(--_m);
  }
  .disclaimer[data-high-contrast] {
    color: inherit;
  }
  .tag {
    font-weight: 600;
    padding: 0;
  }
  .picker {
    max-inline-size: 9em;
    border: 1px solid var(--_b);
    border-radius: calc(var(--_r) / 2);
    padding: 0.2em;
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .panel {
    display: flex;
    flex-flow: column;
    block-size: 100%;
    background: var(--_bg);
    border: 1px solid var(--_b);
    border-radius: var(--_r);
    overflow: hidden;
    position: relative;
  }
  .header,
  .row,
  .actions,
  .chips,
  .tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem;
  }
  .header {
    padding: 0.5rem;
    border-block-end: 1px solid var(--_b);
  }
  .header h2 {
    flex: 1;
    margin: 0 0.25rem;
    font-size: 1em;
  }
  .icon,
  .launcher {
    display: inline-grid;
    place-items: center;
    padding: 0;
    border-radius: 50%;
  }
  .icon {
    inline-size: 2.25rem;
    block-size: 2.25rem;
  }
  .actions .icon {
    inline-size: 1.9rem;
    block-size: 1.9rem;
    color: var(--_m);
  }
  :is(.icon, .button, .history button):hover {
    background: var(--_s);
  }
  [aria-pressed='true'] {
    color: var(--_a) !important;
  }
  .flip svg {
    rotate: 180deg;
  }
  :disabled {
    opacity: 0.45;
    cursor: default;
  }
  .button {
    padding: 0.3rem 0.8rem;
    border: 1px solid var(--_b);
    border-radius: 8px;
  }
  .primary,
  .primary:hover,
  .launcher {
    background: var(--_a);
    border-color: var(--_a);
    color: var(--_on);
  }
  .history {
    max-block-size: 45%;
    overflow: auto;
    padding: 0.25rem;
    border-block-end: 1px solid var(--_b);
  }
  .history ul,
  .chips,
  .col {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .history li,
  .history form {
    display: flex;
    gap: 0.25rem;
  }
  .history li > button:first-child,
  .history input {
    flex: 1;
    min-inline-size: 0;
    text-align: start;
    padding: 0.4rem;
    border-radius: 6px;
    cursor: pointer;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .history input {
    border: 1px solid var(--_b);
  }
  [aria-current='true'] {
    font-weight: 600;
  }
  .log {
    flex: 1;
    min-block-size: 6rem;
    max-block-size: var(--cartrita-max-height, 36rem);
    overflow: auto;
    padding: 0.75rem;
    display: flex;
    flex-flow: column;
    gap: 0.75rem;
  }
  :host([launcher]) .log {
    max-block-size: none;
  }
  .start {
    margin: auto 0;
    text-align: center;
  }
  .start p {
    font-size: 1.15em;
    font-weight: 600;
  }
  .start .row {
    justify-content: center;
    gap: 0.5rem;
  }
  .item {
    display: flex;
    flex-flow: column;
    align-items: start;
  }
  .user-message {
    align-items: end;
  }
  .bubble {
    padding: 0.5rem 0.8rem;
    border-radius: var(--_r);
    background: var(--cartrita-user-background, var(--_a));
    color: var(--cartrita-user-foreground, var(--_on));
    white-space: pre-wrap;
  }
  .bubble,
  .md {
    overflow-wrap: anywhere;
    max-inline-size: 100%;
  }
  .md > :first-child {
    margin-block-start: 0;
  }
  .md > :last-child {
    margin-block-end: 0;
  }
  a {
    color: var(--_a);
  }
  pre,
  code {
    font: 0.9em var(--cartrita-font-family-mono, ui-monospace, monospace);
    background: var(--cartrita-code-background, light-dark(#f6f8fa, #0f1114));
    border-radius: 4px;
  }
  code {
    padding: 0.1em 0.3em;
  }
  pre {
    padding: 0.75rem;
    margin: 0;
    overflow: auto;
  }
  pre code {
    padding: 0;
  }
  [part='md-code-block'] {
    margin-block: 0.75em;
  }
  [part='md-code-lang'],
  [part='code-copy'] {
    font-size: 0.8em;
    color: var(--_m);
  }
  [part='code-copy'] {
    float: inline-end;
  }
  table {
    border-collapse: collapse;
    display: block;
    overflow: auto;
  }
  th,
  td {
    border: 1px solid var(--_b);
    padding: 0.3rem 0.6rem;
  }
  blockquote {
    margin-inline: 0;
    padding-inline-start: 0.8rem;
    border-inline-start: 3px solid var(--_b);
    color: var(--_m);
  }
  img {
    max-inline-size: 100%;
  }
  .caption,
  .sources {
    color: var(--_m);
    font-size: 0.875em;
    margin: 0;
  }
  .card {
    inline-size: 100%;
    padding: 0.75rem;
    border: 1px solid var(--_b);
    border-radius: var(--_r);
    display: flex;
    flex-flow: column;
    gap: 0.5rem;
  }
  .card p,
  fieldset,
  legend {
    margin: 0;
    padding: 0;
    border: 0;
  }
  .w-title,
  legend {
    font-weight: 600;
  }
  .field,
  .col {
    display: flex;
    flex-flow: column;
    gap: 0.25rem;
  }
  .field textarea {
    border: 1px solid var(--_b);
    border-radius: 6px;
  }
  .notice,
  .status {
    margin: 0.5rem 0.75rem 0;
    padding: 0.5rem 0.75rem;
    border-radius: 8px;
    background: var(--_s);
    display: flex;
    gap: 0.5rem;
    align-items: center;
    border-inline-start: 4px solid var(--_s);
  }
  .notice > div,
  .status > span {
    flex: 1;
  }
  [data-level='warning'] {
    border-color: #d29922;
  }
  [data-level='danger'],
  .error {
    border-color: var(--_d);
  }
  .status:not(.error) {
    color: var(--_m);
  }
  .composer {
    margin: 0.75rem;
    border: 1px solid var(--_b);
    border-radius: var(--_r);
  }
  .composer:focus-within {
    border-color: var(--_a);
  }
  .composer textarea {
    display: block;
    inline-size: 100%;
    resize: none;
    border: 0;
    outline: 0;
    padding: 0.6rem 0.75rem 0;
    field-sizing: content;
    min-block-size: 2.5rem;
    max-block-size: 10rem;
  }
  .tools {
    padding: 0.25rem;
  }
  .tools span {
    flex: 1;
  }
  .chips {
    padding: 0.5rem 0.5rem 0;
  }
  .chip {
    display: flex;
    align-items: center;
    gap: 0.25rem;
    padding-inline-start: 0.6rem;
    border-radius: 1rem;
    background: var(--_s);
    font-size: 0.875em;
  }
  .chip img {
    block-size: 2rem;
  }
  .chip[data-status='error'],
  .error-text {
    color: var(--_d);
  }
  .error-text {
    font-size: 0.875em;
    margin: 0.25rem 0.75rem 0;
  }
  .drop {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    background: var(--_bg);
    opacity: 0.9;
    border: 2px dashed var(--_a);
    border-radius: var(--_r);
    pointer-events: none;
  }
  .launcher,
  :host([launcher]) .panel {
    position: fixed;
    inset-inline-end: 1.25rem;
    z-index: var(--cartrita-z-index, 2147483000);
    box-shadow: var(--cartrita-shadow, 0 6px 24px rgb(0 0 0 / 0.25));
  }
  .launcher {
    inset-block-end: 1.25rem;
    inline-size: var(--cartrita-launcher-size, 3.5rem);
    block-size: var(--cartrita-launcher-size, 3.5rem);
  }
  .launcher svg {
    inline-size: 1.6rem;
    block-size: 1.6rem;
  }
  :host([launcher]) .panel {
    inset-block-end: calc(var(--cartrita-launcher-size, 3.5rem) + 2rem);
    inline-size: min(var(--cartrita-panel-width, 24rem), 100vw - 2.5rem);
    block-size: min(var(--cartrita-panel-height, 38rem), 100vh - 7rem);
  }
  .progress::before {
    content: '';
    inline-size: 0.6rem;
    block-size: 0.6rem;
    border-radius: 50%;
    background: var(--_a);
    animation: pulse 1s infinite alternate;
  }
  @keyframes pulse {
    to {
      opacity: 0.2;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .progress::before {
      animation: none;
    }
  }
`;
