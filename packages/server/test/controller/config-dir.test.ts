import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createInProcessEngine, type EngineCallOptions, type EngineService } from '@broom/core';
import { SimAgent, startTestServer, tmpDir } from '../helpers.js';

describe("a sweep's config directory", () => {
  it('is given to the engine with every proposal, so plugin paths resolve from it', async () => {
    // The server package's dependencies hold the built-in plugins.
    const inner = createInProcessEngine({ hostDirs: [fileURLToPath(new URL('../..', import.meta.url))] });
    const calls: (EngineCallOptions | undefined)[] = [];
    const engine: EngineService = {
      propose: (config, runs, count, seed, call) => {
        calls.push(call);
        return inner.propose(config, runs, count, seed, call);
      },
      prune: (config, runs, call) => inner.prune(config, runs, call),
    };
    const s = await startTestServer({ engine });
    const configDir = tmpDir();
    const withDir = await s.client.createSweep({ config: { method: 'random', parameters: { x: { min: 0.0, max: 1.0 } } }, configDir });
    const agent = await new SimAgent(s.client, withDir.id, 1).register();
    expect((await agent.tick()).filter((c) => c.type === 'run'), s.logs.join('\n')).toHaveLength(1);
    expect(calls.at(-1)).toEqual({ configDir });

    // A sweep created without one (not from a file) resolves from the server's directories only.
    const without = await s.client.createSweep({ config: { method: 'random', parameters: { x: { min: 0.0, max: 1.0 } } } });
    await (await new SimAgent(s.client, without.id, 1).register()).tick();
    expect(calls.at(-1)?.configDir).toBeUndefined();
  });
});
