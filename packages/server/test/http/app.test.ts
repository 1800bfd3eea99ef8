import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/client/api-client.js';
import { raw, startTestServer } from '../helpers.js';

const GRID = { method: 'grid', parameters: { a: { values: [1, 2] } } };

describe('auth', () => {
  it('answers 401 without a token or with a wrong one, and serves the right one', async () => {
    const s = await startTestServer({ token: 's3cret' });
    const none = await raw(s, 'GET', '/api/v1/sweeps');
    expect(none.status).toBe(401);
    expect(none.json.error).toEqual({
      code: 'unauthorized',
      message: 'This server needs a token: send "Authorization: Bearer <token>" (broom reads it from BROOM_TOKEN or --token; create one with `broom token create` on the server machine).',
    });
    const wrong = await raw(s, 'GET', '/api/v1/sweeps', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error?.message).toBe('The token in the Authorization header is not a token of this server.');
    // Every route, including creating a sweep and unknown paths.
    expect((await raw(s, 'POST', '/api/v1/sweeps', JSON.stringify({ config: GRID }))).status).toBe(401);
    expect((await raw(s, 'GET', '/nothing')).status).toBe(401);
    await expect(new ApiClient(s.url, 'nope').listSweeps()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await s.client.listSweeps()).toEqual({ sweeps: [] });
  });
});

describe('bad requests', () => {
  it('answers 400 with a clear message for bad JSON, bad bodies and bad fields', async () => {
    const s = await startTestServer();
    const cases: [string, string, string | undefined, number, string][] = [
      ['POST', '/api/v1/sweeps', '{"config": ', 400, 'request body:1:12: invalid JSON: unexpected end of input'],
      ['POST', '/api/v1/sweeps', '[1]', 400, 'POST /sweeps: the body must be a JSON object, but got an array.'],
      ['POST', '/api/v1/sweeps', '', 400, 'POST /sweeps: the body must be a JSON object, but got nothing.'],
      ['POST', '/api/v1/sweeps', '{}', 400, 'POST /sweeps: Key "config": is required.'],
      ['POST', '/api/v1/sweeps', '{"config": {}, "confg": 1}', 400, 'POST /sweeps: Key "confg": unknown key; expected "config", "configText", "configFile", "configDir", "name", "project", "entity". Did you mean "config"?'],
      ['POST', '/api/v1/sweeps', '{"config": {}, "name": 3}', 400, 'POST /sweeps: Key "name": must be a string, but got 3.'],
    ];
    for (const [method, url, body, status, message] of cases) {
      const res = await raw(s, method, url, body);
      expect([url, body, res.status, res.json.error?.message]).toEqual([url, body, status, message]);
    }
  });

  it('answers 400 for a config that cannot run, an unknown scheduler and a search the method refuses', async () => {
    const s = await startTestServer();
    const noMethod = await raw(s, 'POST', '/api/v1/sweeps', JSON.stringify({ config: { parameters: { a: { values: [1] } } }, configFile: 'sweep.yaml' }));
    expect(noMethod.status).toBe(400);
    expect(noMethod.json.error?.code).toBe('sweep-config');
    expect(noMethod.json.error?.message).toContain('sweep.yaml: the sweep cannot run:');
    expect(noMethod.json.error?.message).toContain('method');

    const scheduler = await raw(s, 'POST', '/api/v1/sweeps', JSON.stringify({ config: { ...GRID, scheduler: { job: 'nosuch' } } }));
    expect(scheduler.status).toBe(400);
    expect(scheduler.json.error?.code).toBe('plugin-not-found');
    expect(scheduler.json.error?.message).toContain('nosuch');

    const gridOverUniform = await raw(s, 'POST', '/api/v1/sweeps', '{"config": {"method": "grid", "parameters": {"x": {"min": 0.0, "max": 1.0}}}}');
    expect(gridOverUniform.status).toBe(400);
    expect(gridOverUniform.json.error).toMatchObject({ code: 'search-refused' });
    expect(gridOverUniform.json.error?.message).toMatch(/x/);
    expect(await s.client.listSweeps()).toEqual({ sweeps: [] });
  });

  it('checks agent, heartbeat, metrics, state and control bodies', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: GRID });
    const { agentId } = await s.client.registerAgent(sweep.id, { host: 'h', pid: 1 });
    const { commands } = await s.client.heartbeat(agentId, { running: [], freeSlots: 1 });
    const runId = (commands[0] as { runId: string }).runId;
    const cases: [string, string, string, string][] = [
      [`/api/v1/sweeps/${sweep.id}/agents`, '{"host": "h"}', 'bad-request', 'POST /sweeps/:id/agents: Key "pid": is required.'],
      [`/api/v1/sweeps/${sweep.id}/agents`, '{"host": "h", "pid": 1, "slots": 0}', 'bad-request', 'POST /sweeps/:id/agents: Key "slots": must be an integer from 1 to 1024, but got 0.'],
      [`/api/v1/agents/${agentId}/heartbeat`, '{"running": [], "freeSlots": "two"}', 'bad-request', 'POST /agents/:id/heartbeat: Key "freeSlots": must be an integer ≥ 0, but got "two".'],
      [`/api/v1/agents/${agentId}/heartbeat`, '{"running": [1], "freeSlots": 1}', 'bad-request', 'POST /agents/:id/heartbeat: Key "running[0]": must be a run id (a string), but got 1.'],
      [`/api/v1/agents/${agentId}/heartbeat`, '{"freeSlots": 1}', 'bad-request', 'POST /agents/:id/heartbeat: Key "running": is required.'],
      [`/api/v1/runs/${runId}/metrics`, '{"seq": -1, "rows": []}', 'bad-request', 'POST /runs/:id/metrics: Key "seq": must be an integer ≥ 0, but got -1.'],
      [`/api/v1/runs/${runId}/metrics`, '{"seq": 0, "rows": [1]}', 'bad-request', 'POST /runs/:id/metrics: Key "rows[0]": must be an object of metric values, but got 1.'],
      [`/api/v1/runs/${runId}/metrics`, '{"seq": 0.0, "rows": []}', 'bad-request', 'POST /runs/:id/metrics: Key "seq": must be an integer ≥ 0, but got 0.0.'],
      [`/api/v1/runs/${runId}/state`, '{"state": "finshed"}', 'bad-request', 'POST /runs/:id/state: Key "state": must be one of "running", "finished", "failed", "crashed", "killed", but got "finshed". Did you mean "finished"?'],
      [`/api/v1/runs/${runId}/state`, '{"state": "failed", "exitCode": "1"}', 'bad-request', 'POST /runs/:id/state: Key "exitCode": must be an integer from -2147483648 to 2147483647, but got "1".'],
      [`/api/v1/sweeps/${sweep.id}/control`, '{"action": "halt"}', 'bad-request', 'POST /sweeps/:id/control: Key "action": must be one of "pause", "resume", "stop", "cancel", but got "halt".'],
      [`/api/v1/sweeps/${sweep.id}/control`, '{"action": "resume", "retryFailed": "yes"}', 'bad-request', 'POST /sweeps/:id/control: Key "retryFailed": must be true or false, but got "yes".'],
    ];
    for (const [url, body, code, message] of cases) {
      const res = await raw(s, 'POST', url, body);
      expect([url, body, res.status, res.json.error]).toEqual([url, body, 400, { code, message }]);
    }
    const hist = await raw(s, 'GET', `/api/v1/runs/${runId}?history=maybe`);
    expect([hist.status, hist.json.error?.message]).toEqual([400, 'Query parameter "history": must be 1 or 0, but got "maybe".']);
    const form = await raw(s, 'POST', `/api/v1/runs/${runId}/state`, 'state=running', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([form.status, form.json.error?.code]).toEqual([415, 'unsupported-media-type']);
  });

  it('answers 404 for unknown sweeps, runs, agents and routes', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: GRID, project: 'p' });
    const cases: [string, string, string | undefined, string][] = [
      ['GET', '/api/v1/sweeps/zzzzzzzz', undefined, 'No sweep with id "zzzzzzzz" on this server.'],
      ['GET', '/api/v1/sweeps/zzzzzzzz/runs', undefined, 'No sweep with id "zzzzzzzz" on this server.'],
      ['POST', '/api/v1/sweeps/zzzzzzzz/control', '{"action": "pause"}', 'No sweep with id "zzzzzzzz" on this server.'],
      ['POST', '/api/v1/sweeps/zzzzzzzz/agents', '{"host": "h", "pid": 1}', 'No sweep with id "zzzzzzzz" on this server.'],
      ['GET', '/api/v1/runs/zzzzzzzz', undefined, 'No run with id "zzzzzzzz" on this server.'],
      ['POST', '/api/v1/runs/zzzzzzzz/metrics', '{"seq": 0, "rows": []}', 'No run with id "zzzzzzzz" on this server.'],
      ['POST', '/api/v1/runs/zzzzzzzz/state', '{"state": "running"}', 'No run with id "zzzzzzzz" on this server.'],
      ['POST', '/api/v1/agents/zzzzzzzz/heartbeat', '{"running": [], "freeSlots": 1}', 'No agent with id "zzzzzzzz" on this server.'],
      ['GET', `/api/v1/sweeps/other%2F${sweep.id}`, undefined, `No sweep with id "other/${sweep.id}" on this server.`],
      ['GET', '/api/v1/nothing', undefined, 'No route GET /api/v1/nothing.'],
      ['GET', '/sweeps', undefined, 'No route GET /sweeps. The API is under /api/v1.'],
    ];
    for (const [method, url, body, message] of cases) {
      const res = await raw(s, method, url, body);
      expect([url, res.status, res.json.error?.message]).toEqual([url, 404, message]);
    }
    // project/id works; entity/project/id too when the entity matches (none here).
    expect((await s.client.getSweep(`p/${sweep.id}`)).id).toBe(sweep.id);
    const tooMany = await raw(s, 'GET', `/api/v1/sweeps/a%2Fb%2Fc%2F${sweep.id}`);
    expect([tooMany.status, tooMany.json.error?.message]).toEqual([
      400,
      `Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep, but got "a/b/c/${sweep.id}".`,
    ]);
  });

  it('refuses a body over the limit with 413', async () => {
    const s = await startTestServer({ bodyLimit: 1000 });
    const res = await raw(s, 'POST', '/api/v1/sweeps', JSON.stringify({ config: GRID, configText: 'x'.repeat(2000) }));
    expect([res.status, res.json.error?.code]).toEqual([413, 'body-too-large']);
  });
});

describe('reading sweeps', () => {
  it('lists sweeps newest first with run counts, and shows one with its config', async () => {
    const s = await startTestServer();
    const a = await s.client.createSweep({ config: GRID, name: 'first', project: 'proj', entity: 'me', configText: 'method: grid\n' });
    const b = await s.client.createSweep({ config: { ...GRID, method: 'random', name: 'cfg-name' } });
    const { sweeps } = await s.client.listSweeps();
    expect(sweeps.map((x) => [x.id, x.name, x.method, x.state, x.expectedRunCount])).toEqual([
      [b.id, 'cfg-name', 'random', 'RUNNING', null],
      [a.id, 'first', 'grid', 'RUNNING', 2],
    ]);
    const got = await s.client.getSweep(`me/proj/${a.id}`);
    expect(got).toMatchObject({ project: 'proj', entity: 'me', configText: 'method: grid\n', config: GRID, runCounts: {} });
    expect(got.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
