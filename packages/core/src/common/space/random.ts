import type { Random } from '../plugin/random.js';

/**
 * Seedable randomness for search methods: sfc32 (Chris Doty-Humphrey's small fast chaotic PRNG, 128
 * bits of state, passes PractRand) seeded through a splitmix-style mixer. Plain code, no dependencies,
 * so it runs the same on the main thread and in workers.
 */
export class Sfc32Random implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Four 32-bit words of state; use {@link createRandom} rather than calling this directly. */
  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // Mix the state so that close seeds give unrelated streams.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** A uniform unsigned 32-bit integer. */
  uint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1) with 53 random bits (every double of the form k·2⁻⁵³). */
  next(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

/** A 32-bit finaliser with good avalanche (constants from Wellons' hash-prospector). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** A stable 53-bit hash of a string (two 32-bit multiply-xor lanes, finalised). */
function hash53(text: string): number {
  let h1 = 0x811c9dc5 ^ text.length;
  let h2 = 0x6a09e667 ^ Math.imul(text.length, 0x9e3779b9);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 0x01000193);
    h2 = Math.imul(h2 ^ ch, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  h1 = mix32(h1 ^ Math.imul(h2, 0x85ebca6b));
  h2 = mix32(h2 ^ Math.imul(h1, 0xc2b2ae35));
  return (h2 & 0x1fffff) * 4294967296 + h1;
}

/** The text a seed is hashed from: numbers and strings never collide (`1` ≠ `'1'`). */
function seedText(seed: number | string): string {
  if (typeof seed === 'string') return `s:${seed}`;
  if (typeof seed === 'number') return `n:${Object.is(seed, -0) ? 0 : seed}`;
  throw new TypeError(`A seed must be a number or a string, but got ${typeof seed}`);
}

/**
 * A seeded source of uniform numbers in [0, 1). The same seed always gives the same stream, on every
 * platform; without a seed the state comes from the operating system's cryptographic randomness.
 */
export function createRandom(seed?: number | string): Sfc32Random {
  if (seed === undefined) {
    const words = new Uint32Array(4);
    globalThis.crypto.getRandomValues(words);
    return new Sfc32Random(words[0], words[1], words[2], words[3] | 1);
  }
  const h = hash53(seedText(seed));
  const lo = h >>> 0;
  const hi = Math.floor(h / 4294967296);
  let s = lo ^ Math.imul(hi, 0x9e3779b9);
  const next = (): number => {
    s = (s + 0x9e3779b9) | 0;
    return mix32(s);
  };
  return new Sfc32Random(next(), next(), next(), next());
}

/**
 * A seed derived from a seed and a path of parts (e.g. `deriveSeed(sweepSeed, 'proposal', 7)`), so
 * that every proposal gets its own reproducible stream. Stable across versions and platforms; the
 * result is a non-negative safe integer.
 */
export function deriveSeed(seed: number | string, ...parts: (string | number)[]): number {
  let text = seedText(seed);
  for (const part of parts) text += `\u0000${seedText(part)}`;
  return hash53(text);
}
