import { adoptStyles } from './lazy-styles.js';

type Entities = typeof import('../entities/entities.js');

let loaded: Entities | undefined;
let loading: Promise<Entities> | undefined;

/** Loads the entities part (once). */
export const loadEntities = (): Promise<Entities> =>
  (loading ??= import('../entities/entities.js').then((module) => (loaded = module)));

/**
 * The entities part with its styles adopted by `root`, once it has loaded; until then undefined, and
 * the load starts (`refresh` renders again when it is there).
 */
export const entitiesPart = (root: Node, refresh: () => void): Entities | undefined => {
  if (loaded) adoptStyles(root, loaded.entityStyles);
  else void loadEntities().then(refresh, () => {});
  return loaded;
};
