/**
 * Multi-objective helpers for TPE, as Optuna's `_hypervolume` and `_multi_objective` modules behave:
 * hypervolume (exact; a sweep in 2-D, WFG's exclusive-volume recursion above), non-domination
 * ranks, the reference point rule, and the greedy hypervolume subset selection (HSSP). Every vector
 * is a loss vector (smaller is better in each objective).
 */

export const EPS = 1e-12;

type Vec = readonly number[];

/** Whether `a` dominates `b`: no worse in every objective and better in one. */
export function dominates(a: Vec, b: Vec): boolean {
  let better = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) better = true;
  }
  return better;
}

/** Optuna's reference point: 1.1 × the worst point (0.9 × where it is negative), 0 replaced by EPS. */
export function referencePoint(points: readonly Vec[]): number[] {
  const m = points[0].length;
  const ref: number[] = [];
  for (let k = 0; k < m; k++) {
    let worst = -Infinity;
    for (const p of points) worst = Math.max(worst, p[k]);
    const r = Math.max(1.1 * worst, 0.9 * worst);
    ref.push(r === 0 ? EPS : r);
  }
  return ref;
}

function boxVolume(p: Vec, ref: Vec): number {
  let v = 1;
  for (let k = 0; k < p.length; k++) v *= ref[k] - p[k];
  return v;
}

function hv2d(points: Vec[], ref: Vec): number {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let volume = 0;
  let yBound = ref[1];
  for (const p of sorted) {
    if (p[1] < yBound) {
      volume += (ref[0] - p[0]) * (yBound - p[1]);
      yBound = p[1];
    }
  }
  return volume;
}

/** The non-dominated points of a set, duplicates kept once. */
function nondominated(points: Vec[]): Vec[] {
  const out: Vec[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    let keep = true;
    for (let j = 0; j < points.length && keep; j++) {
      if (j === i) continue;
      const q = points[j];
      if (dominates(q, p)) keep = false;
      else if (j < i && q.every((v, k) => v === p[k])) keep = false;
    }
    if (keep) out.push(p);
  }
  return out;
}

/** WFG: the volume is the sum of each point's volume exclusive of the points after it. */
function wfg(points: Vec[], ref: Vec): number {
  if (points.length === 0) return 0;
  if (points.length === 1) return boxVolume(points[0], ref);
  if (ref.length === 2) return hv2d(points, ref);
  // Sorting by the first objective keeps the limited sets small.
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    const limited: Vec[] = [];
    for (let j = i + 1; j < sorted.length; j++) limited.push(sorted[j].map((v, k) => Math.max(v, p[k])));
    total += boxVolume(p, ref) - wfg(nondominated(limited), ref);
  }
  return total;
}

/** The hypervolume dominated by `points` and bounded by `ref` (points not below `ref` add nothing). */
export function hypervolume(points: readonly Vec[], ref: Vec): number {
  const inside = points.filter((p) => p.every((v, k) => v < ref[k]));
  if (inside.length === 0) return 0;
  if (inside.some((p) => p.some((v) => !Number.isFinite(v)))) return Infinity;
  if (ref.length === 1) return ref[0] - Math.min(...inside.map((p) => p[0]));
  return wfg(nondominated(inside), ref);
}

/**
 * Non-domination ranks (0 = Pareto front). Ranks are peeled only until `nBelow` points are ranked
 * (as Optuna does); the rest get the next rank, which the split never looks into.
 */
export function nonDominationRanks(points: readonly Vec[], nBelow = points.length): number[] {
  const n = points.length;
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  const count = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i], points[j])) {
        dominatedBy[i].push(j);
        count[j]++;
      } else if (dominates(points[j], points[i])) {
        dominatedBy[j].push(i);
        count[i]++;
      }
    }
  }
  const ranks = new Array<number>(n).fill(-1);
  let front = [];
  for (let i = 0; i < n; i++) if (count[i] === 0) front.push(i);
  let rank = 0;
  let ranked = 0;
  while (front.length > 0 && ranked < nBelow) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      for (const j of dominatedBy[i]) if (--count[j] === 0) next.push(j);
    }
    ranked += front.length;
    front = next.sort((a, b) => a - b);
    rank++;
  }
  for (let i = 0; i < n; i++) if (ranks[i] < 0) ranks[i] = rank;
  return ranks;
}

function lexCompare(a: Vec, b: Vec): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return 0;
}

/**
 * Greedy hypervolume subset selection (Optuna's `_solve_hssp`): choose `subsetSize` of the
 * mutually non-dominated `points`, each time the one adding the most hypervolume. Works on the
 * unique points in lexicographic order (ties go to the first); returns positions into `points`.
 */
export function solveHssp(points: readonly Vec[], subsetSize: number, ref: Vec): number[] {
  const n = points.length;
  if (subsetSize >= n) return points.map((_, i) => i);
  // Unique rows, lexicographically sorted, each with the position of its first occurrence.
  const order = points.map((_, i) => i).sort((a, b) => lexCompare(points[a], points[b]) || a - b);
  const uniq: number[] = [];
  for (const i of order) if (uniq.length === 0 || lexCompare(points[uniq[uniq.length - 1]], points[i]) !== 0) uniq.push(i);
  if (uniq.length < subsetSize) {
    const chosen = new Set(uniq);
    for (let i = 0; i < n && chosen.size < subsetSize; i++) chosen.add(i);
    return [...chosen].sort((a, b) => a - b);
  }
  if (!ref.every(Number.isFinite)) return uniq.slice(0, subsetSize);
  if (uniq.length === subsetSize) return uniq;
  const vecs = uniq.map((i) => points[i]);
  const picked = ref.length === 2 ? hssp2d(vecs, subsetSize, ref) : hsspGreedy(vecs, subsetSize, ref);
  return picked.map((k) => uniq[k]);
}

/** 2-D greedy HSSP on a lexsorted front: each contribution is a rectangle, updated in O(n). */
function hssp2d(vecs: Vec[], subsetSize: number, ref: Vec): number[] {
  const alive = vecs.map((_, i) => i);
  const diag = vecs.map(() => [ref[0], ref[1]]);
  const selected: number[] = [];
  for (let s = 0; s < subsetSize; s++) {
    let best = 0;
    let bestContrib = -Infinity;
    for (let k = 0; k < alive.length; k++) {
      const p = vecs[alive[k]];
      const c = (diag[k][0] - p[0]) * (diag[k][1] - p[1]);
      if (c > bestContrib) {
        bestContrib = c;
        best = k;
      }
    }
    const chosen = vecs[alive[best]];
    selected.push(alive[best]);
    alive.splice(best, 1);
    diag.splice(best, 1);
    for (let k = 0; k < best; k++) diag[k][0] = Math.min(chosen[0], diag[k][0]);
    for (let k = best; k < alive.length; k++) diag[k][1] = Math.min(chosen[1], diag[k][1]);
  }
  return selected;
}

/** Greedy HSSP in any dimension, with lazily updated contributions (they only shrink). */
function hsspGreedy(vecs: Vec[], subsetSize: number, ref: Vec): number[] {
  const bound = vecs.map((p) => boxVolume(p, ref));
  const fresh = vecs.map(() => true);
  const taken = vecs.map(() => false);
  const selected: Vec[] = [];
  const out: number[] = [];
  let hvSelected = 0;
  for (let s = 0; s < subsetSize; s++) {
    // Visit candidates from the largest upper bound; a bound below the best exact value is skipped.
    const order = vecs.map((_, i) => i).filter((i) => !taken[i]).sort((a, b) => bound[b] - bound[a] || a - b);
    let bestExact = -Infinity;
    for (const i of order) {
      if (bound[i] < bestExact) break;
      if (!fresh[i]) {
        bound[i] = hypervolume([...selected, vecs[i]], ref) - hvSelected;
        fresh[i] = true;
      }
      bestExact = Math.max(bestExact, bound[i]);
    }
    // The maximum exact contribution, ties to the first in lexicographic order.
    let pick = -1;
    for (let i = 0; i < vecs.length; i++) if (!taken[i] && fresh[i] && bound[i] === bestExact) {
      pick = i;
      break;
    }
    // Infinite volumes make contributions NaN (inf − inf): then take the first one left, in order.
    if (pick < 0) pick = taken.indexOf(false);
    taken[pick] = true;
    out.push(pick);
    selected.push(vecs[pick]);
    hvSelected = hypervolume(selected, ref);
    for (let i = 0; i < vecs.length; i++) fresh[i] = false;
  }
  return out;
}

/**
 * The below-group weights of multi-objective TPE (MOTPE): each Pareto-front point of `losses` is
 * weighted by its hypervolume contribution relative to the largest, others get EPS; with at most
 * one point, or an infinite hypervolume, every weight is 1.
 */
export function hypervolumeWeights(losses: readonly Vec[]): number[] {
  const n = losses.length;
  if (n <= 1) return new Array<number>(n).fill(1);
  const ref = referencePoint(losses);
  const onFront = losses.map((p) => !losses.some((q) => dominates(q, p)));
  const front = losses.filter((_, i) => onFront[i]);
  const hv = hypervolume(front, ref);
  if (!Number.isFinite(hv)) return new Array<number>(n).fill(1);
  const contribs = new Array<number>(n).fill(0);
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (!onFront[i]) continue;
    const others = front.filter((_, k) => k !== f);
    contribs[i] = hv - hypervolume(others, ref);
    f++;
  }
  const max = Math.max(Math.max(...contribs), EPS);
  return contribs.map((c) => Math.max(c / max, EPS));
}
