/** Median of a list; NaN for an empty list. Infinity counts as a value (e.g. "no completed trial yet"). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  if (s.length % 2 === 1) return s[m];
  if (s[m - 1] === s[m]) return s[m];
  return (s[m - 1] + s[m]) / 2;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * max(0, best − optimum) / (fRandomMedian − optimum): 0 = optimum found, 1 = as good as a median
 * random draw. A missing best (no completed trial yet) is +Infinity.
 */
export function normalizedRegret(best: number | null | undefined, optimum: number, fRandomMedian: number): number {
  if (best === null || best === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, best - optimum) / (fRandomMedian - optimum);
}

/** Ranks (1 = smallest), ties sharing the mean of the ranks they span. NaN stays NaN. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).filter((x) => !Number.isNaN(x.v)).sort((a, b) => a.v - b.v);
  const out = values.map(() => Number.NaN);
  for (let k = 0; k < order.length; ) {
    let j = k;
    while (j + 1 < order.length && order[j + 1].v === order[k].v) j++;
    const r = (k + 1 + j + 1) / 2;
    for (let m = k; m <= j; m++) out[order[m].i] = r;
    k = j + 1;
  }
  return out;
}
