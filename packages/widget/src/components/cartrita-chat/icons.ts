import { type SVGTemplateResult, svg } from 'lit';

/** A 24×24 stroked icon; always decorative (the button around it carries the label). */
const icon = (d: string): SVGTemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d}></path></svg>`;

/** The widget's icons, by use. */
export const icons = {
  send: icon('M12 19V5M5 12l7-7 7 7'),
  stop: icon('M7 7h10v10H7z'),
  attach: icon('M20 11l-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7'),
  mic: icon('M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3'),
  menu: icon('M4 6h16M4 12h16M4 18h16'),
  plus: icon('M12 5v14M5 12h14'),
  close: icon('M6 6l12 12M18 6L6 18'),
  chat: icon('M4 5h16v11H10l-6 4z'),
  copy: icon('M9 9h11v11H9zM5 15H4V4h11v1'),
  thumb: icon('M7 11v9H4v-9zM7 11l4-8c2 0 3 1.5 2.5 3.5L13 10h6a2 2 0 0 1 2 2.3l-1.3 6A2 2 0 0 1 17.7 20H7'),
  retry: icon('M4 12a8 8 0 1 0 2.5-5.8M4 4v5h5'),
  edit: icon('M4 20h4L19 9l-4-4L4 16z'),
  trash: icon('M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13'),
} as const;
