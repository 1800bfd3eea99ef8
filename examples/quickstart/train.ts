// A small real training script: a one-hidden-layer neural network (tanh, sigmoid output) trained with
// mini-batch SGD to separate two interleaving half-moons, on data it generates itself. It reads its
// hyperparameters through @broom/sdk (defaults here, the sweep's values win) and logs the validation
// loss after every epoch, which the sweep's metric and Hyperband use.
//
//   node --import tsx train.ts          runs it on its own with the defaults
//   broom agent <sweep-id>              runs it with the sweep's values (see sweep.yaml)
import * as broom from '@broom/sdk';

const run = broom.init({
  lr: 0.1,
  hidden: 8,
  epochs: 40,
  batch_size: 32,
  seed: 0,
  /** Pause after each epoch: stands in for a bigger model, so Hyperband has time to act. */
  delay_ms: 0,
});
const config = run.config;

/** mulberry32: a small seeded generator, so a run is reproducible from its config. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

type Point = [number, number];

/** Two half-moons with Gaussian noise: class 0 on top, class 1 below and shifted (scikit-learn's make_moons). */
function moons(n: number, noise: number, rand: () => number): { x: Point[]; y: number[] } {
  const x: Point[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = Math.PI * rand();
    const [px, py] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    x.push([px + noise * gaussian(rand), py + noise * gaussian(rand)]);
    y.push(label);
  }
  return { x, y };
}

class Network {
  readonly w1: number[][];
  readonly b1: number[];
  readonly w2: number[];
  b2 = 0;

  constructor(readonly hidden: number, rand: () => number) {
    const scale = (fanIn: number) => Math.sqrt(1 / fanIn);
    this.w1 = Array.from({ length: hidden }, () => [gaussian(rand) * scale(2), gaussian(rand) * scale(2)]);
    this.b1 = new Array(hidden).fill(0);
    this.w2 = Array.from({ length: hidden }, () => gaussian(rand) * scale(hidden));
  }

  forward([a, b]: Point): { h: number[]; p: number } {
    const h = this.w1.map((w, j) => Math.tanh(w[0] * a + w[1] * b + this.b1[j]));
    const z = h.reduce((s, hj, j) => s + hj * this.w2[j], this.b2);
    return { h, p: 1 / (1 + Math.exp(-z)) };
  }

  /** One SGD step on a batch; answers the batch's mean loss. */
  step(xs: Point[], ys: number[], lr: number): number {
    const gw1 = this.w1.map(() => [0, 0]);
    const gb1 = new Array(this.hidden).fill(0);
    const gw2 = new Array(this.hidden).fill(0);
    let gb2 = 0;
    let loss = 0;
    xs.forEach((x, i) => {
      const { h, p } = this.forward(x);
      loss += bce(p, ys[i]);
      const dz = p - ys[i]; // d loss / d logit for sigmoid + cross-entropy
      gb2 += dz;
      for (let j = 0; j < this.hidden; j++) {
        gw2[j] += dz * h[j];
        const dh = dz * this.w2[j] * (1 - h[j] * h[j]);
        gw1[j][0] += dh * x[0];
        gw1[j][1] += dh * x[1];
        gb1[j] += dh;
      }
    });
    const k = lr / xs.length;
    for (let j = 0; j < this.hidden; j++) {
      this.w1[j][0] -= k * gw1[j][0];
      this.w1[j][1] -= k * gw1[j][1];
      this.b1[j] -= k * gb1[j];
      this.w2[j] -= k * gw2[j];
    }
    this.b2 -= k * gb2;
    return loss / xs.length;
  }

  evaluate(data: { x: Point[]; y: number[] }): { loss: number; accuracy: number } {
    let loss = 0;
    let correct = 0;
    data.x.forEach((x, i) => {
      const { p } = this.forward(x);
      loss += bce(p, data.y[i]);
      if ((p >= 0.5 ? 1 : 0) === data.y[i]) correct++;
    });
    return { loss: loss / data.x.length, accuracy: correct / data.x.length };
  }
}

function bce(p: number, y: number): number {
  const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
}

const train = moons(600, 0.2, random(1));
const val = moons(300, 0.2, random(2));
const rand = random(1000 + config.seed);
const net = new Network(config.hidden, rand);
const order = train.x.map((_, i) => i);
let best = Infinity;

for (let epoch = 1; epoch <= config.epochs; epoch++) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let trainLoss = 0;
  let batches = 0;
  for (let start = 0; start < order.length; start += config.batch_size) {
    const idx = order.slice(start, start + config.batch_size);
    trainLoss += net.step(idx.map((i) => train.x[i]), idx.map((i) => train.y[i]), config.lr);
    batches++;
  }
  const { loss, accuracy } = net.evaluate(val);
  best = Math.min(best, loss);
  broom.log({ epoch, train_loss: trainLoss / batches, val_loss: loss, val_acc: accuracy });
  if (config.delay_ms > 0) await new Promise((resolve) => setTimeout(resolve, config.delay_ms));
}
broom.summary({ best_val_loss: best });
broom.finish();
const final = net.evaluate(val);
console.log(`lr=${config.lr.toPrecision(3)} hidden=${config.hidden} epochs=${config.epochs}: val_loss ${final.loss.toFixed(4)}, val_acc ${(final.accuracy * 100).toFixed(1)}%`);
