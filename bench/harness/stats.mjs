/** Small statistics over the runs of one variant. */

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function min(values) {
  return values.length ? Math.min(...values) : undefined;
}

export function max(values) {
  return values.length ? Math.max(...values) : undefined;
}

/** Relative spread (max - min) / median, a quick read of how noisy a variant was. */
export function spread(values) {
  const m = median(values);
  return m ? (max(values) - min(values)) / m : undefined;
}
