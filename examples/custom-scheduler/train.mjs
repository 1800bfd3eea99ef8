// The training job of the example: logs a decreasing val_loss for a few steps (no dependencies).
import { appendFileSync } from 'node:fs';

const config = JSON.parse(process.env.BROOM_CONFIG ?? '{}');
const lr = config.lr ?? 0.01;
for (let step = 0; step < 5; step++) {
  const valLoss = 1 / (1 + step * lr * 10);
  if (process.env.BROOM_METRICS_FILE) appendFileSync(process.env.BROOM_METRICS_FILE, `${JSON.stringify({ step, val_loss: valLoss })}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.TRAIN_STEP_MS ?? 200)));
}
console.log(`lr=${lr}: done`);
