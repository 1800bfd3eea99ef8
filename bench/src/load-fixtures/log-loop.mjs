// A training loop that logs every step with broom's TypeScript SDK and times its `log` calls.
// Argument: the SDK's built entry (packages/sdk/dist/index.js). Env: LOG_STEPS, LOG_RESULT (a JSON
// file to write), LOG_GO (a file to wait for before logging, so the harness can break the server first).
import { existsSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const sdk = await import(process.argv[2]);
const steps = Number(process.env.LOG_STEPS ?? 100000);
const run = sdk.init({ lr: 0.1 });
while (process.env.LOG_GO && !existsSync(process.env.LOG_GO)) await new Promise((r) => setTimeout(r, 20));
const times = new Float64Array(steps);
const t0 = performance.now();
for (let i = 0; i < steps; i++) {
  const a = performance.now();
  run.log({ step: i, loss: 1 / (i + 1), acc: i / steps, lr: 0.1 });
  times[i] = performance.now() - a;
}
const total = performance.now() - t0;
run.finish();
times.sort();
writeFileSync(process.env.LOG_RESULT, JSON.stringify({ sdk: 'typescript', steps, totalMs: total, meanUs: (total / steps) * 1000, p50Us: times[Math.floor(steps * 0.5)] * 1000, p99Us: times[Math.floor(steps * 0.99)] * 1000, maxUs: times[steps - 1] * 1000 }));
