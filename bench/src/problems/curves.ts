import type { ValueRecord } from '@broom/core';
import { num, type CurvesProblem } from './types.js';

/**
 * Learning curves for pruners: loss_t = final + amp·exp(−t/tau) + noise(key, t) for t = 1..100, and
 * the objective is loss_100. The noise comes from an integer hash of (seed, config), reproducible
 * bit for bit with `Math.imul`.
 */
export const name = 'curves';

export const parameters: ValueRecord = {
  lr: { distribution: 'log_uniform_values', min: 1e-4, max: 0.1 },
  momentum: { distribution: 'uniform', min: 0.0, max: 0.99 },
  layers: { distribution: 'int_uniform', min: 1, max: 8 },
  batch_size: { distribution: 'categorical', values: [16, 32, 64, 128, 256] },
};

/** Unknown for the noisy objective: the regret reference is the best value ever seen. */
export const optimum = null;
export const fRandomMedian = 0.437;
export const STEPS = 100;
export const SIGMA = 0.005;
/** Minimum of the noiseless loss_100 (layers 6, batch 16, g = −2.2). */
export const optimumNoiselessFinal = 0.2500000008216361;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const GOLDEN = 0x9e3779b9;
const FMIX_M1 = 0x85ebca6b;
const FMIX_M2 = 0xc2b2ae35;

export interface CurveParams {
  lr: number;
  momentum: number;
  layers: number;
  batch_size: number;
}

export interface CurveComponents {
  g: number;
  final: number;
  tau: number;
  amp: number;
}

export function components({ lr, momentum, layers, batch_size }: CurveParams): CurveComponents {
  const u = Math.log10(lr);
  const g = u - 0.5 * Math.log10(1 - momentum);
  const b = Math.log2(batch_size / 16);
  const gStar = -2.2 + 0.15 * b;
  const over = Math.max(0, g - gStar - 1.2);
  const final = 0.25 + 0.08 * (g - gStar) ** 2 + 0.6 * over * over + 0.015 * (layers - 6) ** 2 + 0.012 * b;
  const tau = 6 * 10 ** (-0.5 * (g + 2)) * (1 + 0.05 * (layers - 1)) * Math.sqrt(batch_size / 64);
  const amp = 1 + 0.05 * layers;
  return { g, final, tau, amp };
}

/** 32-bit FNV-1a over uint32LE(seed) ++ float64LE(lr, momentum, layers, batch_size): 36 bytes. */
export function noiseKey(p: CurveParams, seed: number): number {
  const buf = new DataView(new ArrayBuffer(36));
  buf.setUint32(0, seed >>> 0, true);
  buf.setFloat64(4, p.lr, true);
  buf.setFloat64(12, p.momentum, true);
  buf.setFloat64(20, p.layers, true);
  buf.setFloat64(28, p.batch_size, true);
  let h = FNV_OFFSET;
  for (let i = 0; i < 36; i++) h = Math.imul(h ^ buf.getUint8(i), FNV_PRIME) >>> 0;
  return h;
}

/** The murmur3 finaliser. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, FMIX_M1) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, FMIX_M2) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Irwin-Hall sum of four hashed uniforms, scaled to standard deviation SIGMA. */
export function noise(key: number, t: number): number {
  let s = 0;
  for (let j = 0; j < 4; j++) {
    const c = Math.imul(4 * t + j, GOLDEN) >>> 0;
    s += fmix32((key ^ c) >>> 0) / 4294967296;
  }
  return SIGMA * Math.sqrt(3) * (s - 2);
}

export function curveParams(config: ValueRecord): CurveParams {
  return {
    lr: num(config, 'lr'),
    momentum: num(config, 'momentum'),
    layers: num(config, 'layers'),
    batch_size: num(config, 'batch_size'),
  };
}

/** A curve evaluator for one config and noise seed: the components and the key are computed once. */
export function makeCurve(p: CurveParams, seed: number): (t: number) => number {
  const { final, tau, amp } = components(p);
  const key = noiseKey(p, seed);
  return (t) => final + amp * Math.exp(-t / tau) + noise(key, t);
}

export function lossAt(config: ValueRecord, seed: number, t: number): number {
  return makeCurve(curveParams(config), seed)(t);
}

/** The whole curve, loss_1 .. loss_STEPS. */
export function curve(config: ValueRecord, seed: number): number[] {
  const at = makeCurve(curveParams(config), seed);
  return Array.from({ length: STEPS }, (_, i) => at(i + 1));
}

/** The objective: loss at step 100. */
export function evaluate(config: ValueRecord, seed = 0): number {
  return lossAt(config, seed, STEPS);
}

export const problem: CurvesProblem = { name, parameters, optimum, fRandomMedian, evaluate, lossAt, steps: STEPS };
