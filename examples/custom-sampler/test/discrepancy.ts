/**
 * The centered L2 discrepancy of points in [0, 1)^d (Hickernell 1998; scipy's default measure):
 * how far the share of points in boxes anchored at the cube's corners is from the boxes' volume, on
 * average over boxes. Lower is more even; it is invariant under reflecting any axis.
 */
export function centeredDiscrepancy(points: readonly (readonly number[])[]): number {
  const n = points.length;
  const d = points[0].length;
  let single = 0;
  for (const x of points) {
    let p = 1;
    for (const v of x) {
      const a = Math.abs(v - 0.5);
      p *= 1 + 0.5 * a - 0.5 * a * a;
    }
    single += p;
  }
  let pairs = 0;
  for (const x of points) {
    for (const y of points) {
      let p = 1;
      for (let k = 0; k < d; k++) p *= 1 + 0.5 * Math.abs(x[k] - 0.5) + 0.5 * Math.abs(y[k] - 0.5) - 0.5 * Math.abs(x[k] - y[k]);
      pairs += p;
    }
  }
  return Math.sqrt((13 / 12) ** d - (2 / n) * single + pairs / (n * n));
}
