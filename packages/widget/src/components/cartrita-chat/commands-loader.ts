import { html, nothing } from 'lit';
import type { Command } from '../commands/commands-menu.js';
import { adoptStyles } from './lazy-styles.js';

type Menu = typeof import('../commands/commands-menu.js');

let loaded: Menu | undefined;
let loading: Promise<unknown> | undefined;

/** The open menu, as the element drives it. */
export interface OpenMenu {
  matches: Command[];
  /** What a key does: see `commandKey`. */
  key: (key: string) => { move: number } | 'pick' | 'close' | undefined;
  render: () => unknown;
}

/**
 * The "/" menu for a draft (`prefix` "/", filtered by what is typed), or the list of entities found
 * for an "@" (`prefix` "", as found), once its module has loaded; until then undefined, and the load starts
 * (`refresh` renders again when it is there).
 */
export const commandsMenu = (
  draft: string,
  commands: readonly Command[],
  prefix: string,
  active: number,
  label: string,
  root: Node,
  pick: (command: Command) => void,
  refresh: () => void,
): OpenMenu | undefined => {
  if (!loaded) {
    loading ??= import('../commands/commands-menu.js').then((module) => {
      loaded = module;
    });
    void loading.then(refresh, () => {});
    return undefined;
  }
  const menu = loaded;
  const matches = prefix === '/' ? menu.matchCommands(draft, commands) : [...commands];
  if (!matches.length) return undefined;
  adoptStyles(root, menu.commandStyles);
  const index = Math.min(active, matches.length - 1);
  return {
    matches,
    key: (key) => menu.commandKey(key, index, matches.length),
    render: () => menu.renderCommandsMenu({ html, nothing }, matches, index, label, pick, prefix),
  };
};
