/**
 * @module The "/" commands menu, loaded on demand (`cartrita-chat.commands.js`) the first time the
 * user types "/" in a composer that has commands. Like the widget catalogue it renders with the
 * element's Lit, handed over by the element.
 */
import type { html as litHtml, nothing as litNothing } from 'lit';

/** A command offered when the message starts with "/". */
export interface Command {
  /** What follows the "/". */
  name: string;
  description?: string | undefined;
}

/** The commands whose "/name" starts with the draft, case aside. */
export const matchCommands = (draft: string, commands: readonly Command[]): Command[] => {
  const typed = draft.toLowerCase();
  return commands.filter((command) => `/${command.name}`.toLowerCase().startsWith(typed));
};

/** What a key does in the open menu: move to an index, pick the active command, close, or nothing. */
export const commandKey = (
  key: string,
  active: number,
  count: number,
): { move: number } | 'pick' | 'close' | undefined => {
  if (key === 'ArrowDown') return { move: (active + 1) % count };
  if (key === 'ArrowUp') return { move: (active - 1 + count) % count };
  if (key === 'Enter' || key === 'Tab') return 'pick';
  if (key === 'Escape') return 'close';
  return undefined;
};

/**
 * The menu: a listbox under the composer; a press on an option picks it without blurring the box.
 * The "@" menu of entities is the same list with another prefix.
 */
export const renderCommandsMenu = (
  lit: { html: typeof litHtml; nothing: typeof litNothing },
  matches: readonly Command[],
  active: number,
  label: string,
  pick: (command: Command) => void,
  prefix = '/',
): unknown => {
  const { html, nothing } = lit;
  return html`<ul part="commands" class="commands" role="listbox" aria-label=${label}>
    ${matches.map(
      (command, index) =>
        html`<li
          part="command"
          role="option"
          aria-selected=${index === active}
          @mousedown=${(event: Event) => {
            event.preventDefault();
            pick(command);
          }}
        >
          <b>${prefix}${command.name}</b>${command.description ? html` <span>${command.description}</span>` : nothing}
        </li>`,
    )}
  </ul>`;
};

/** The menu's styles, adopted into the element's shadow root when the module loads. */
export const commandStyles = `
.commands{list-style:none;margin:0;padding:.25em;border:1px solid var(--_b);border-radius:calc(var(--_r)/2);background:var(--_bg);max-block-size:12em;overflow:auto}
.commands li{padding:.3em .5em;border-radius:calc(var(--_r)/3);cursor:pointer}
.commands li[aria-selected=true],.commands li:hover{background:var(--_s)}
.commands span{color:var(--_m)}
`;
