/** @module Telling code in another language from broken JavaScript, to say which one is expected. */

/** Lines that only Python writes: `def f(...):`, `import x` without a quote, a block opened by a colon. */
const pythonLines = [
  /^\s*(async\s+)?def\s+[A-Za-z_]\w*\s*\(.*\)\s*(->\s*[^:]+)?:/m,
  /^\s*(from\s+[\w.]+\s+)?import\s+[\w.]+(\s+as\s+\w+)?(\s*,\s*[\w.]+)*\s*$/m,
  /^\s*(if|elif|else|for|while|try|except|finally|with|class)\b[^{;]*:\s*(#.*)?$/m,
];

/** Whether code that JavaScript cannot parse reads as Python (the seed's examples are Python). */
export const looksLikePython = (code: string): boolean => pythonLines.some((line) => line.test(code));

/** How the sandbox asks for a function, said in errors. */
export const oneFunctionHint =
  'write one JavaScript function, such as `async function name(args) { ... }` or `(args) => ...`';
