// Small statistics helpers shared by the benchmarks.

/** The q-quantile (0..1) of numbers, by nearest rank. */
export const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};

/** Milliseconds with two decimals. */
export const ms = (value) => `${value.toFixed(2)} ms`;
