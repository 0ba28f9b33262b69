/** @module Reading and changing the values of components in a widget tree. */

/** Returns a copy of a widget tree with the `value` of the component `id` replaced. */
export const setComponentValue = <T>(node: T, id: string, value: string): T => {
  if (Array.isArray(node)) return node.map((child) => setComponentValue(child, id, value)) as T;
  if (node && typeof node === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) copy[key] = setComponentValue(child, id, value);
    if (copy.id === id) copy.value = value;
    return copy as T;
  }
  return node;
};

/** The `value` of the component `id` in a widget tree, if it has one. */
export const findValue = (node: unknown, id: string): string | undefined => {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findValue(child, id);
      if (found !== undefined) return found;
    }
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.id === id && typeof record.value === 'string') return record.value;
    for (const child of Object.values(record)) {
      const found = findValue(child, id);
      if (found !== undefined) return found;
    }
  }
  return undefined;
};
