import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCommand, jsonDumps, stringifyJson, type Value, type ValueRecord } from '@broom/core';
import { sweepParamYaml } from './param-yaml.js';

/** The broom directory: `BROOM_DIR`, else `./broom`, as an absolute path. */
export function broomDir(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env.BROOM_DIR || 'broom');
}

/** Where one run's files go, under the broom directory (the layout W&B uses under `wandb/`). */
export interface RunPaths {
  /** `sweep-<id>/run-<runId>/` */
  runDir: string;
  /** `sweep-<id>/run-<runId>/output.log`: the program's stdout and stderr. */
  outputLog: string;
  /** `sweep-<id>/run-<runId>/metrics.jsonl`: BROOM_METRICS_FILE. */
  metricsFile: string;
  /** `sweep-<id>/config-<runId>.json`: BROOM_CONFIG_FILE, also `${args_json_file}`. */
  configJson: string;
  /** `sweep-<id>/config-<runId>.yaml`: WANDB_SWEEP_PARAM_PATH. */
  paramYaml: string;
}

export function runPaths(dir: string, sweepId: string, runId: string): RunPaths {
  const sweepDir = path.join(dir, `sweep-${safe(sweepId)}`);
  const runDir = path.join(sweepDir, `run-${safe(runId)}`);
  // Ids come from the server: whatever they hold, a run's files stay inside the broom directory.
  const inside = path.relative(dir, runDir);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new Error(`Refusing run files outside the broom directory ${dir}: sweep "${sweepId}", run "${runId}".`);
  }
  return {
    runDir,
    outputLog: path.join(runDir, 'output.log'),
    metricsFile: path.join(runDir, 'metrics.jsonl'),
    configJson: path.join(sweepDir, `config-${safe(runId)}.json`),
    paramYaml: path.join(sweepDir, `config-${safe(runId)}.yaml`),
  };
}

/** An id as one path segment: only [A-Za-z0-9_.-], and never `.` or `..` alone (nor a run of dots). */
function safe(id: string): string {
  const segment = id.replace(/[^\w.-]/g, '_').replace(/\.{2,}/g, '_');
  return segment === '' || segment === '.' ? '_' : segment;
}

export interface RunSpec {
  sweepId: string;
  runId: string;
  runName: string;
  config: ValueRecord;
  program?: string;
  command?: Value[];
}

export interface PreparedRun {
  argv: string[];
  env: Record<string, string>;
  paths: RunPaths;
}

/**
 * Everything a run needs before it starts: its files written (config JSON and W&B's YAML, an empty
 * metrics file, `${args_json_file}`), its argv built from the sweep's command, and its environment.
 */
export async function prepareRun(spec: RunSpec, dir: string, baseEnv: Readonly<Record<string, string | undefined>>): Promise<PreparedRun> {
  const paths = runPaths(dir, spec.sweepId, spec.runId);
  await mkdir(paths.runDir, { recursive: true });
  const { argv, files } = buildCommand({
    command: spec.command,
    program: spec.program,
    params: spec.config,
    env: baseEnv,
    platform: process.platform,
    argsJsonFilePath: paths.configJson,
  });
  await writeFile(paths.configJson, jsonDumps(spec.config), 'utf8');
  await writeFile(paths.paramYaml, sweepParamYaml(spec.config), 'utf8');
  await writeFile(paths.metricsFile, '', { flag: 'a' });
  // `${args_json_file}` (core's node/macros/write-command-files.ts is not exported; it is this loop).
  for (const file of files) {
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content, 'utf8');
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    BROOM_RUN_ID: spec.runId,
    BROOM_RUN_NAME: spec.runName,
    BROOM_SWEEP_ID: spec.sweepId,
    BROOM_DIR: dir,
    BROOM_CONFIG: stringifyJson(spec.config),
    BROOM_CONFIG_FILE: paths.configJson,
    BROOM_METRICS_FILE: paths.metricsFile,
    WANDB_SWEEP_ID: spec.sweepId,
    WANDB_RUN_ID: spec.runId,
    WANDB_SWEEP_PARAM_PATH: paths.paramYaml,
  });
  return { argv, env, paths };
}
