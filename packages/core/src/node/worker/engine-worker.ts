/**
 * The one worker entry of the engine service (started by `createWorkerEngine` on a thread pool):
 * named methods that take and return one JSON string each (see `engine-wire.ts`). From TypeScript
 * sources it is started through `engine-worker.mjs`, which registers tsx first.
 */
import { worker } from 'workerpool';
import { runPropose, runPrune, type ProposeTask, type PruneTask } from './engine-tasks.js';
import { decode, reply } from './engine-wire.js';

function propose(task: string): Promise<string> {
  return reply(() => runPropose(decode<ProposeTask>(task, 'propose task')));
}

function prune(task: string): Promise<string> {
  return reply(() => runPrune(decode<PruneTask>(task, 'prune task')));
}

worker({ propose, prune });
