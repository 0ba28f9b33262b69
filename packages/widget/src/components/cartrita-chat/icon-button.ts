import { html, nothing, type TemplateResult } from 'lit';

/** The states an {@link iconButton} may show. */
export interface IconButtonState {
  /** `aria-expanded`, for a button that shows and hides something. */
  expanded?: boolean | undefined;
  /** `aria-pressed`, for a toggle. */
  pressed?: boolean | undefined;
  disabled?: boolean | undefined;
  /** Filled with the accent color (send, stop). */
  primary?: boolean | undefined;
}

/**
 * A button that shows only an icon: its label is both its accessible name and its tooltip, and the icon
 * stays decorative. Every icon button of the widget is one of these.
 */
export const iconButton = (
  part: string,
  label: string,
  icon: unknown,
  onClick: (event: Event) => void,
  state: IconButtonState = {},
): TemplateResult =>
  html`<button
    part=${part}
    type="button"
    class=${state.primary ? 'icon primary' : 'icon'}
    aria-label=${label}
    title=${label}
    aria-expanded=${state.expanded ?? nothing}
    aria-pressed=${state.pressed ?? nothing}
    ?disabled=${state.disabled}
    @click=${onClick}
  >
    ${icon}
  </button>`;
