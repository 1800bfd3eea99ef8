import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (/work/main): bench/test/ is two levels below it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The public benchmark folder, next to the repository. */
export const sharedBenchDir = path.resolve(repoRoot, '../shared/bench');
export const problemsJsonPath = path.join(sharedBenchDir, 'problems.json');

export const hasProblemsJson = existsSync(problemsJsonPath);
if (!hasProblemsJson) {
  console.warn(`[bench] ${problemsJsonPath} not found: the problem checks against problems.json are skipped.`);
}

export interface TestPoint {
  params: Record<string, number | string>;
  value: number;
  seed?: number;
  key?: number;
  components?: Record<string, number>;
  noise_first3?: number[];
  curve?: number[];
}

export interface ProblemSpec {
  name: string;
  parameters: Record<string, unknown>;
  optimum: number | null;
  f_random_median: number;
  steps?: number;
  test_points: TestPoint[];
}

export function loadProblemsJson(): { problems: Record<string, ProblemSpec> } {
  return JSON.parse(readFileSync(problemsJsonPath, 'utf8'));
}
