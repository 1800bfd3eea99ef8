/**
 * The comparison report: reads `broom-*.json` from bench/results and `optuna-*.json` from the shared
 * benchmark folder, prints markdown and writes results/report.md and results/report.json.
 *
 *   pnpm --filter @broom/bench report [-- --results DIR --optuna DIR --out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROBLEMS, isCurvesProblem } from './problems/index.js';
import { buildReport, renderMarkdown, reportJson } from './report/build-report.js';
import { loadResults } from './report/load-results.js';
import type { ProblemNorm } from './report/metrics.js';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      results: { type: 'string', default: path.join(benchDir, 'results') },
      optuna: { type: 'string', default: path.resolve(benchDir, '../../shared/bench/results') },
      out: { type: 'string' },
    },
    strict: true,
  });
  const outDir = values.out ?? values.results;
  const broom = loadResults(values.results, 'broom');
  const optuna = loadResults(values.optuna, 'optuna');
  if (broom.length === 0) console.warn(`no broom-*.json in ${values.results}: run the benchmark first (pnpm --filter @broom/bench bench).`);
  if (optuna.length === 0) console.warn(`no optuna-*.json in ${values.optuna}: the report has broom's runs only.`);
  const norms: Record<string, ProblemNorm> = Object.fromEntries(
    PROBLEMS.map((p) => [p.name, { optimum: p.optimum, fRandomMedian: p.fRandomMedian }]),
  );
  const report = buildReport([...broom, ...optuna], norms, PROBLEMS.filter(isCurvesProblem).map((p) => p.name));
  const markdown = renderMarkdown(report, {
    sources: [`${broom.length} broom result files (${values.results})`, `${optuna.length} optuna result files (${values.optuna})`],
  });
  console.log(markdown);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'report.md'), `${markdown}\n`);
  writeFileSync(path.join(outDir, 'report.json'), reportJson(report));
  console.log(`wrote ${path.join(outDir, 'report.md')} and report.json`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
