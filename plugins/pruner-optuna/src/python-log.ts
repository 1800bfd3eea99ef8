/**
 * Python's `math.log(x, base)`, bit for bit: `log(x) / log(base)` with each natural log correctly
 * rounded, as glibc's `log` gives it. JavaScript's `Math.log` may be one ulp off (V8 gives
 * `Math.log(3) = 1.0986122886681096`, Python `1.0986122886681098`), which moves
 * `floor(log(243, 3))` from Python's 4 to 5 and so changes the number of Hyperband brackets.
 */
export function pythonLog(x: number, base: number): number {
  return correctlyRoundedLn(x) / correctlyRoundedLn(base);
}

/** Fixed-point bits of the intermediate results: far more than the 53 a double keeps. */
const BITS = 192n;
const ONE = 1n << BITS;

/** `2·atanh(p/q)` in fixed point, by its series (|p/q| <= 1/3 converges fast). */
function twiceAtanh(p: bigint, q: bigint): bigint {
  let term = (p * ONE) / q;
  const z2num = p * p;
  const z2den = q * q;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * z2num) / z2den;
  }
  return 2n * sum;
}

const LN2 = twiceAtanh(1n, 3n);

/** ln(x) for a finite positive double, correctly rounded to the nearest double. */
export function correctlyRoundedLn(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  if (x === 1) return 0;
  // x = M · 2^(e - 52) exactly, with M a 53-bit integer in [2^52, 2^53).
  let e = Math.floor(Math.log2(x));
  if (2 ** e > x) e--;
  if (2 ** (e + 1) <= x) e++;
  const M = BigInt(x / 2 ** e * 2 ** 52);
  const half = 1n << 52n;
  // ln(M / 2^52) = 2·atanh((M - 2^52) / (M + 2^52)); keep the mantissa in [1, 2) → |z| <= 1/3.
  const fixed = twiceAtanh(M - half, M + half) + BigInt(e) * LN2;
  return toNearestDouble(fixed);
}

/** The double nearest to `fixed / 2^BITS` (ties to even). */
function toNearestDouble(fixed: bigint): number {
  if (fixed === 0n) return 0;
  const negative = fixed < 0n;
  const mag = negative ? -fixed : fixed;
  const length = mag.toString(2).length;
  const shift = length - 53;
  let result: number;
  if (shift <= 0) {
    result = Number(mag) * 2 ** -Number(BITS);
  } else {
    const s = BigInt(shift);
    let q = mag >> s;
    const rest = mag - (q << s);
    const halfway = 1n << (s - 1n);
    if (rest > halfway || (rest === halfway && (q & 1n) === 1n)) q += 1n;
    result = Number(q) * 2 ** (shift - Number(BITS));
  }
  return negative ? -result : result;
}
