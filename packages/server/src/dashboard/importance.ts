/**
 * Parameter importance as W&B's sweep page shows it: for each parameter, the importance of a random
 * forest regressing the metric on the parameters (mean decrease in impurity, normalised to sum 1) and
 * the linear correlation of the parameter with the metric. Written here (no dependency): bagged
 * CART regression trees, deterministic for a seed.
 */

/** One input column: numbers, or categories (strings/booleans/other values shown as text). */
export interface Feature {
  name: string;
  /** Per sample: a finite number, a category (string), or undefined when the run has no value. */
  values: ReadonlyArray<number | string | undefined>;
}

export interface ImportanceOptions {
  trees?: number;
  maxDepth?: number;
  minLeaf?: number;
  seed?: number;
}

export interface ParameterImportance {
  name: string;
  /** Share of the forest's variance reduction due to this parameter (0…1; all sum to 1 unless none helps). */
  importance: number;
  /** Pearson correlation with the metric; null for categorical parameters or constant columns. */
  correlation: number | null;
  kind: 'numeric' | 'categorical';
}

/** Most samples one tree is grown on (a bootstrap sample of this size when there are more runs). */
const MAX_SAMPLE = 1000;

/** A seeded 32-bit generator (mulberry32): the same seed gives the same forest. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Encode the features as numeric columns. A categorical column becomes the rank of its category's
 * mean metric (the order in which a regression tree's best split on a category is found); a missing
 * value becomes the column's mean (numeric) or its own category.
 */
function encode(features: readonly Feature[], y: readonly number[]): { columns: number[][]; kinds: Array<'numeric' | 'categorical'> } {
  const columns: number[][] = [];
  const kinds: Array<'numeric' | 'categorical'> = [];
  for (const f of features) {
    const numeric = f.values.every((v) => v === undefined || typeof v === 'number');
    if (numeric) {
      const present = f.values.filter((v): v is number => typeof v === 'number');
      const mean = present.length ? present.reduce((s, v) => s + v, 0) / present.length : 0;
      columns.push(f.values.map((v) => (typeof v === 'number' ? v : mean)));
      kinds.push('numeric');
      continue;
    }
    const sums = new Map<string, { sum: number; n: number }>();
    f.values.forEach((v, i) => {
      const key = v === undefined ? '\u0000missing' : String(v);
      const s = sums.get(key) ?? { sum: 0, n: 0 };
      s.sum += y[i];
      s.n += 1;
      sums.set(key, s);
    });
    const order = [...sums.entries()].sort((a, b) => a[1].sum / a[1].n - b[1].sum / b[1].n).map(([k]) => k);
    const rank = new Map(order.map((k, i) => [k, i]));
    columns.push(f.values.map((v) => rank.get(v === undefined ? '\u0000missing' : String(v))!));
    kinds.push('categorical');
  }
  return { columns, kinds };
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Grow one regression tree on the samples `idx`, adding each split's variance reduction (sum of
 * squares decrease) to `gain[feature]`.
 */
function growTree(columns: number[][], y: readonly number[], idx: number[], depth: number, opts: Required<ImportanceOptions>, gain: number[]): void {
  const n = idx.length;
  if (n < 2 * opts.minLeaf || depth >= opts.maxDepth) return;
  let sum = 0;
  let sumSq = 0;
  for (const i of idx) {
    sum += y[i];
    sumSq += y[i] * y[i];
  }
  const parentSse = sumSq - (sum * sum) / n;
  if (parentSse <= 1e-12 * Math.max(1, Math.abs(sumSq))) return;
  let best = { feature: -1, threshold: 0, sse: parentSse };
  for (let f = 0; f < columns.length; f++) {
    const col = columns[f];
    const sorted = [...idx].sort((a, b) => col[a] - col[b]);
    let leftSum = 0;
    let leftSq = 0;
    for (let k = 0; k < n - 1; k++) {
      const i = sorted[k];
      leftSum += y[i];
      leftSq += y[i] * y[i];
      const nl = k + 1;
      const nr = n - nl;
      if (nl < opts.minLeaf || nr < opts.minLeaf) continue;
      const here = col[i];
      const next = col[sorted[k + 1]];
      if (here === next) continue;
      const rightSum = sum - leftSum;
      const rightSq = sumSq - leftSq;
      const sse = leftSq - (leftSum * leftSum) / nl + (rightSq - (rightSum * rightSum) / nr);
      if (sse < best.sse - 1e-12) best = { feature: f, threshold: (here + next) / 2, sse };
    }
  }
  if (best.feature < 0) return;
  gain[best.feature] += parentSse - best.sse;
  const left: number[] = [];
  const right: number[] = [];
  for (const i of idx) (columns[best.feature][i] <= best.threshold ? left : right).push(i);
  growTree(columns, y, left, depth + 1, opts, gain);
  growTree(columns, y, right, depth + 1, opts, gain);
}

/**
 * The importance and correlation of each feature for predicting `y` (one value per sample).
 * Needs at least 2 samples; constant columns get importance 0.
 */
export function parameterImportance(features: readonly Feature[], y: readonly number[], options: ImportanceOptions = {}): ParameterImportance[] {
  const opts: Required<ImportanceOptions> = { trees: 100, maxDepth: 12, minLeaf: 1, seed: 1, ...options };
  for (const f of features) {
    if (f.values.length !== y.length) throw new Error(`Feature ${f.name} has ${f.values.length} values for ${y.length} samples.`);
  }
  const { columns, kinds } = encode(features, y);
  const gain = new Array<number>(features.length).fill(0);
  const n = y.length;
  if (n >= 2 && features.length > 0) {
    const random = rng(opts.seed);
    // The server answers this on its event loop: big sweeps fit fewer trees on smaller bootstrap
    // samples (at most MAX_SAMPLE runs a tree, at least 10 trees), so an answer stays in the
    // hundreds of milliseconds (about 0.25 s for 3000 runs and 3 parameters on one core).
    const size = Math.min(n, MAX_SAMPLE);
    const trees = Math.min(opts.trees, Math.max(10, Math.floor(30_000 / size)));
    for (let t = 0; t < trees; t++) {
      const sample = Array.from({ length: size }, () => Math.floor(random() * n));
      growTree(columns, y, sample, 0, opts, gain);
    }
  }
  const total = gain.reduce((s, g) => s + g, 0);
  return features.map((f, k) => ({
    name: f.name,
    importance: total > 0 ? gain[k] / total : 0,
    correlation: kinds[k] === 'numeric' ? pearson(columns[k], y) : null,
    kind: kinds[k],
  }));
}
