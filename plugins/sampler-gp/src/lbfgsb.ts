/**
 * A bound-constrained quasi-Newton minimiser in the spirit of L-BFGS-B (Byrd, Lu, Nocedal & Zhu):
 * limited-memory BFGS directions on the variables that are not held at a bound, projected onto the
 * box, with a backtracking (Armijo) line search along the projected path. Simpler than the full
 * generalised-Cauchy-point method, and enough for the small, smooth problems of a Gaussian process
 * (its kernel parameters, and the acquisition function over [0, 1]^d). Bounds may be infinite.
 *
 * No npm package offers a maintained bounded L-BFGS (`fmin` has unconstrained methods only), so
 * this is ours.
 */

export interface LbfgsbOptions {
  /** Lower bounds (−∞ when absent). */
  lower?: ArrayLike<number>;
  /** Upper bounds (+∞ when absent). */
  upper?: ArrayLike<number>;
  /** Correction pairs kept (scipy's `maxcor`). Default 10. */
  memory?: number;
  /** Iterations at most. Default 200. */
  maxIterations?: number;
  /** Stop when the projected gradient's largest component is at most this (scipy's `pgtol`/`gtol`). Default 1e-5. */
  pgtol?: number;
  /** Stop when f falls by less than factr·ε relative to max(|f|, 1) (scipy's `factr`). Default 1e7. */
  factr?: number;
}

export interface LbfgsbResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  /** The projected gradient criterion or the relative-decrease criterion was met. */
  converged: boolean;
}

const EPSILON = 2.220446049250313e-16;

/**
 * Minimise `fg` (which returns f(x) and writes ∇f(x) into `grad`) from `x0` within the bounds.
 * An evaluation that returns a non-finite value is treated as a failed step (the step shrinks).
 */
export function minimizeLbfgsb(
  fg: (x: Float64Array, grad: Float64Array) => number,
  x0: ArrayLike<number>,
  options: LbfgsbOptions = {},
): LbfgsbResult {
  const n = x0.length;
  const lo = Float64Array.from({ length: n }, (_, i) => options.lower?.[i] ?? -Infinity);
  const hi = Float64Array.from({ length: n }, (_, i) => options.upper?.[i] ?? Infinity);
  const m = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 200;
  const pgtol = options.pgtol ?? 1e-5;
  const ftol = (options.factr ?? 1e7) * EPSILON;
  const clip = (v: number, i: number) => Math.min(hi[i], Math.max(lo[i], v));

  let x = Float64Array.from(x0, (v, i) => clip(v, i));
  let g = new Float64Array(n);
  let evaluations = 1;
  let f = fg(x, g);
  if (!Number.isFinite(f)) return { x, f, iterations: 0, evaluations, converged: false };

  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const alphaBuf = new Float64Array(m);
  let xn = new Float64Array(n);
  let gn = new Float64Array(n);

  for (let iter = 0; iter < maxIterations; iter++) {
    // Projected gradient, and which variables are held at a bound.
    let pgMax = 0;
    for (let i = 0; i < n; i++) {
      const pg = clip(x[i] - g[i], i) - x[i];
      pgMax = Math.max(pgMax, Math.abs(pg));
      free[i] = (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0) ? 0 : 1;
    }
    if (pgMax <= pgtol) return { x, f, iterations: iter, evaluations, converged: true };

    // Two-loop recursion on the free variables.
    for (let i = 0; i < n; i++) d[i] = free[i] ? g[i] : 0;
    const k = sList.length;
    for (let j = k - 1; j >= 0; j--) {
      const s = sList[j];
      let a = 0;
      for (let i = 0; i < n; i++) if (free[i]) a += s[i] * d[i];
      a *= rho[j];
      alphaBuf[j] = a;
      const y = yList[j];
      for (let i = 0; i < n; i++) if (free[i]) d[i] -= a * y[i];
    }
    if (k > 0) {
      const s = sList[k - 1];
      const y = yList[k - 1];
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += s[i] * y[i];
        yy += y[i] * y[i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const y = yList[j];
      let b = 0;
      for (let i = 0; i < n; i++) if (free[i]) b += y[i] * d[i];
      b *= rho[j];
      const s = sList[j];
      for (let i = 0; i < n; i++) if (free[i]) d[i] += s[i] * (alphaBuf[j] - b);
    }
    let slope = 0;
    for (let i = 0; i < n; i++) {
      d[i] = free[i] ? -d[i] : 0;
      slope += g[i] * d[i];
    }
    if (!(slope < 0)) {
      // Not a descent direction: forget the curvature pairs and go down the gradient.
      sList.length = 0;
      yList.length = 0;
      rho.length = 0;
      slope = 0;
      for (let i = 0; i < n; i++) {
        d[i] = free[i] ? -g[i] : 0;
        slope += g[i] * d[i];
      }
    }
    let step = 1;
    if (sList.length === 0) {
      let dMax = 0;
      for (let i = 0; i < n; i++) dMax = Math.max(dMax, Math.abs(d[i]));
      step = Math.min(1, 1 / dMax);
    }

    // Backtracking along the projected path.
    let accepted = false;
    let fn = f;
    for (let t = 0; t < 40; t++) {
      let moved = false;
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        xn[i] = clip(x[i] + step * d[i], i);
        if (xn[i] !== x[i]) moved = true;
        decrease += g[i] * (xn[i] - x[i]);
      }
      if (!moved) break;
      evaluations++;
      fn = fg(xn, gn);
      if (Number.isFinite(fn) && fn <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= Number.isFinite(fn) ? 0.5 : 0.1;
    }
    if (!accepted) return { x, f, iterations: iter, evaluations, converged: false };

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xn[i] - x[i];
      y[i] = gn[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > EPSILON * yy && sy > 0) {
      if (sList.length === m) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
    }
    const fPrev = f;
    [x, xn] = [xn, x];
    [g, gn] = [gn, g];
    f = fn;
    if (fPrev - f <= ftol * Math.max(Math.abs(fPrev), Math.abs(f), 1)) {
      return { x, f, iterations: iter + 1, evaluations, converged: true };
    }
  }
  return { x, f, iterations: maxIterations, evaluations, converged: false };
}
