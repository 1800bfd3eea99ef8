/**
 * A deterministic, derivative-free 1-D local maximiser on a closed interval: from a start point it
 * walks uphill with doubling steps until the function stops rising (or a bound is reached), then
 * polishes the bracket with Brent's method. It plays the part of scikit-learn's L-BFGS-B on the
 * single log length-scale: like a gradient method it stops on a plateau instead of crawling to a
 * bound, and it lands exactly on a bound when the function keeps rising up to it.
 */

export interface MaximizeResult {
  x: number;
  fx: number;
  /** Function evaluations used. */
  evaluations: number;
}

export interface MaximizeOptions {
  /** The first step away from the start. */
  initialStep?: number;
  /** Absolute tolerance on x for the final Brent polish. */
  xTolerance?: number;
  /** A rise smaller than this (relative to max(1, |f|)) counts as flat. */
  flatTolerance?: number;
}

const GOLDEN = (3 - Math.sqrt(5)) / 2;

/** Maximise `f` on [lo, hi] starting from `start` (clamped into the interval). */
export function maximizeFrom(
  f: (x: number) => number,
  start: number,
  lo: number,
  hi: number,
  options: MaximizeOptions = {},
): MaximizeResult {
  const step0 = options.initialStep ?? 1;
  const xTol = options.xTolerance ?? 1e-4;
  const flatTol = options.flatTolerance ?? 1e-10;
  let evaluations = 0;
  const g = (x: number): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? -Infinity : v;
  };
  const rises = (to: number, from: number): boolean => to > from + flatTol * Math.max(1, Math.abs(from));

  const x0 = Math.min(hi, Math.max(lo, start));
  const f0 = g(x0);
  const left = Math.max(lo, x0 - step0);
  const right = Math.min(hi, x0 + step0);
  const fl = left < x0 ? g(left) : -Infinity;
  const fr = right > x0 ? g(right) : -Infinity;
  if (!rises(fl, f0) && !rises(fr, f0)) {
    // Flat on both sides (a plateau, where a gradient method sees a zero gradient): stay put.
    if (!rises(f0, fl) && !rises(f0, fr) && left < x0 && right > x0) return { x: x0, fx: f0, evaluations };
    const best = brentMaximize(g, left, right, x0, f0, xTol);
    return { ...best, evaluations };
  }
  const dir = fr > fl ? 1 : -1;
  let prev = x0;
  let cur = dir > 0 ? right : left;
  let fcur = dir > 0 ? fr : fl;
  let step = step0;
  for (;;) {
    if (cur === (dir > 0 ? hi : lo)) return { x: cur, fx: fcur, evaluations };
    step *= 2;
    const next = dir > 0 ? Math.min(hi, cur + step) : Math.max(lo, cur - step);
    const fnext = g(next);
    if (!rises(fnext, fcur)) {
      const best = brentMaximize(g, Math.min(prev, next), Math.max(prev, next), cur, fcur, xTol);
      return { ...best, evaluations };
    }
    prev = cur;
    cur = next;
    fcur = fnext;
  }
}

/**
 * Brent's minimisation (golden section with parabolic steps; Forsythe, Malcolm & Moler's `fmin`),
 * applied to −f on [a, b] from a known interior point `x` with value `fx`.
 */
export function brentMaximize(
  f: (x: number) => number,
  a: number,
  b: number,
  x: number,
  fx: number,
  tol: number,
  maxIterations = 100,
): { x: number; fx: number } {
  // Minimise h = −f.
  let hx = -fx;
  let w = x;
  let v = x;
  let hw = hx;
  let hv = hx;
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < maxIterations; iter++) {
    const m = 0.5 * (a + b);
    const tol1 = 1.5e-8 * Math.abs(x) + tol / 3;
    const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (hx - hv);
      let q = (x - v) * (hx - hw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x < m ? b - x : a - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const hu = -f(u);
    if (hu <= hx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      hv = hw;
      w = x;
      hw = hx;
      x = u;
      hx = hu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (hu <= hw || w === x) {
        v = w;
        hv = hw;
        w = u;
        hw = hu;
      } else if (hu <= hv || v === x || v === w) {
        v = u;
        hv = hu;
      }
    }
  }
  return { x, fx: -hx };
}
