#!/usr/bin/env node
// The quickstart end to end, on this machine, with nothing left behind: start a broom server on a
// free port with its data in a temporary directory, create the sweep from sweep.yaml, run one agent
// for N runs (default 10) of train.ts, and print the runs, best first.
//
//   node run-demo.mjs [N] [CONFIG]   (from the repo root: pnpm build && node examples/quickstart/run-demo.mjs)
//
// CONFIG is sweep.yaml (bayes + hyperband) by default; sweep-optuna.yaml runs the same program with the
// Optuna-style scheduler (TPE sampler, median pruner).
//
// By hand, the same is: `broom sweep sweep.yaml`, then `broom agent <id> --count N`, then `broom runs <id>`
// (the first command starts a local server at http://127.0.0.1:8418 with its data in ./broom).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '@broom/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const broomBin = path.join(path.dirname(require.resolve('@broom/cli/package.json')), 'bin', 'broom.mjs');
const count = Number(process.argv[2] ?? 10);
const config = process.argv[3] ?? 'sweep.yaml';
if (!Number.isInteger(count) || count < 1) {
  console.error(`usage: node run-demo.mjs [N] [CONFIG]  (N runs, a whole number of at least 1; got "${process.argv[2]}")`);
  process.exit(2);
}

const dir = mkdtempSync(path.join(tmpdir(), 'broom-quickstart-'));
const serverLog = path.join(dir, 'server.log');
const server = await startServer({
  dir: path.join(dir, 'server'),
  port: 0,
  pollIntervalMs: 500,
  log: (line) => appendFileSync(serverLog, `${line}\n`),
});
const env = { ...process.env, BROOM_URL: server.url, BROOM_DIR: path.join(dir, 'broom') };

/** Run `broom ARGS` in this directory, echoing its output; resolves with its exit code and stderr. */
function broom(args) {
  process.stdout.write(`\n$ broom ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [broomBin, ...args], { cwd: here, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

let exitCode = 0;
try {
  console.log(`A broom server runs at ${server.url} (data in ${dir}).`);
  const created = await broom(['sweep', config]);
  const id = /Creating sweep with ID: (\S+)/.exec(created.stderr)?.[1];
  if (created.code !== 0 || !id) throw new Error('broom sweep failed');
  const agent = await broom(['agent', id, '--count', String(count)]);
  if (agent.code !== 0) throw new Error(`broom agent exited with ${agent.code}`);
  await broom(['runs', id]);
} catch (error) {
  console.error(`run-demo: ${error.message}`);
  exitCode = 1;
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
