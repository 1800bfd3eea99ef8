import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PyFloat, stringifyJson, type SweepState } from '@broom/core';
import type { NewSweep, Store } from '../store/store.js';
import type { ItemClaim, LaunchSweepCreate, LaunchSweepRestart, NewLaunchAgent, NewQueueItem, QueueItemRow } from '../store/launch-types.js';

/** What the contract needs: a fresh, empty store per test, and how to reopen the same one. */
export interface StoreFactory {
  /** A fresh, empty store. */
  create(): Promise<Store>;
  /** The same data opened again after `close()` (a restart); omit when the store cannot. */
  reopen?(closed: Store): Promise<Store>;
}

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function newSweep(id: string, extra: Partial<NewSweep> = {}): NewSweep {
  return {
    id,
    name: `sweep ${id}`,
    project: 'proj',
    method: 'grid',
    state: 'RUNNING',
    config: { method: 'grid', parameters: { lr: { values: [new PyFloat(1), 0.5] } } },
    seed: 7,
    createdAt: T0,
    ...extra,
  };
}

/**
 * The behaviour every `Store` must have, as a vitest suite. Run it in one line:
 * `describeStoreContract('sqlite', { create: () => openSqliteStore(tmp()) })`.
 * @experimental
 */
export function describeStoreContract(name: string, factory: StoreFactory | (() => Promise<Store>)): void {
  const f: StoreFactory = typeof factory === 'function' ? { create: factory } : factory;

  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await f.create();
    });
    afterEach(async () => {
      await store.close();
    });

    async function withAgent(sweepId = 'sw000001', agentId = 'ag000001') {
      if (!(await store.getSweep(sweepId))) await store.createSweep(newSweep(sweepId));
      await store.registerAgent({ id: agentId, sweepId, host: 'h', pid: 1, slots: 1, createdAt: T0 });
      return { sweepId, agentId };
    }

    it('creates, reads and lists sweeps, keeping whole floats', async () => {
      const a = await store.createSweep(newSweep('sw000001', { configText: 'method: grid', entity: 'me' }));
      expect(a).toMatchObject({ id: 'sw000001', state: 'RUNNING', updatedAt: T0, entity: 'me', configText: 'method: grid', seed: 7 });
      await store.createSweep(newSweep('sw000002', { createdAt: at(1) }));
      const got = await store.getSweep('sw000001');
      expect(stringifyJson(got!.config)).toBe('{"method":"grid","parameters":{"lr":{"values":[1.0,0.5]}}}');
      expect((await store.listSweeps()).map((s) => s.id)).toEqual(['sw000002', 'sw000001']);
      expect(await store.getSweep('nope')).toBeUndefined();
    });

    it('refuses a second sweep with the same id', async () => {
      await store.createSweep(newSweep('sw000001'));
      await expect(store.createSweep(newSweep('sw000001'))).rejects.toThrow();
    });

    it('changes sweep state, guarded by `from`, and logs each change', async () => {
      await store.createSweep(newSweep('sw000001'));
      const paused = await store.setSweepState('sw000001', { state: 'PAUSED', at: at(1), reason: 'pause', from: ['RUNNING'] });
      expect(paused.changed).toBe(true);
      expect(paused.sweep).toMatchObject({ state: 'PAUSED', updatedAt: at(1) });
      const refused = await store.setSweepState('sw000001', { state: 'FINISHED', at: at(2), from: ['RUNNING'] });
      expect(refused).toMatchObject({ changed: false, sweep: { state: 'PAUSED' } });
      await store.setSweepState('sw000001', { state: 'FAILED', at: at(3), error: 'boom', finishing: 'done' });
      expect(await store.getSweep('sw000001')).toMatchObject({ state: 'FAILED', error: 'boom', finishing: 'done' });
      await store.setSweepState('sw000001', { state: 'RUNNING', at: at(4), error: null, finishing: null });
      const s = await store.getSweep('sw000001');
      expect(s?.error).toBeUndefined();
      expect(s?.finishing).toBeUndefined();
      const events = await store.listSweepEvents('sw000001');
      expect(events.map((e) => [e.from, e.to])).toEqual([
        [null, 'RUNNING'], ['RUNNING', 'PAUSED'], ['PAUSED', 'FAILED'], ['FAILED', 'RUNNING'],
      ] satisfies [SweepState | null, SweepState][]);
      await expect(store.setSweepState('nope', { state: 'PAUSED', at: at(1) })).rejects.toThrow(/nope/);
    });

    it('marks and clears finishing', async () => {
      await store.createSweep(newSweep('sw000001'));
      await store.setSweepFinishing('sw000001', 'grid exhausted');
      expect((await store.getSweep('sw000001'))?.finishing).toBe('grid exhausted');
      await store.setSweepFinishing('sw000001', null);
      expect((await store.getSweep('sw000001'))?.finishing).toBeUndefined();
    });

    it('saves the scheduler state as JSON with floats kept', async () => {
      await store.createSweep(newSweep('sw000001'));
      expect(await store.getSchedulerState('sw000001')).toBeNull();
      await store.setSchedulerState('sw000001', { rung: 2, best: new PyFloat(3), list: [1, 'a'] });
      expect(stringifyJson(await store.getSchedulerState('sw000001'))).toBe('{"rung":2,"best":3.0,"list":[1,"a"]}');
    });

    it('launches runs atomically with the scheduler state, numbered in order, assigned to the agent', async () => {
      const { sweepId, agentId } = await withAgent();
      const runs = await store.launchRuns(sweepId, {
        agentId,
        at: at(1),
        requireState: ['RUNNING'],
        schedulerState: { n: 2 },
        runs: [
          { id: 'run00001', name: 'run00001', config: { lr: new PyFloat(1) }, searchInfo: { cell: 0 } },
          { id: 'run00002', name: 'run00002', config: { lr: 0.5 } },
        ],
      });
      expect(runs.map((r) => [r.id, r.number, r.state, r.agentId, r.stopRequested, r.superseded, r.historyLength])).toEqual([
        ['run00001', 0, 'pending', agentId, false, false, 0],
        ['run00002', 1, 'pending', agentId, false, false, 0],
      ]);
      expect(stringifyJson(runs[0].config)).toBe('{"lr":1.0}');
      expect(runs[0].searchInfo).toEqual({ cell: 0 });
      expect(runs[0].createdAt).toBe(at(1));
      expect(await store.getSchedulerState(sweepId)).toEqual({ n: 2 });
      const more = await store.launchRuns(sweepId, { agentId, at: at(2), requireState: ['RUNNING'], runs: [{ id: 'run00003', name: 'run00003', config: {} }] });
      expect(more[0].number).toBe(2);
      expect((await store.listRuns(sweepId)).map((r) => r.id)).toEqual(['run00001', 'run00002', 'run00003']);
      expect((await store.listAgentRuns(agentId)).length).toBe(3);
      expect(await store.getSchedulerState(sweepId)).toEqual({ n: 2 });
    });

    it('launches nothing when the sweep left the required state', async () => {
      const { sweepId, agentId } = await withAgent();
      await store.setSweepState(sweepId, { state: 'PAUSED', at: at(1) });
      const runs = await store.launchRuns(sweepId, {
        agentId, at: at(2), requireState: ['RUNNING'], schedulerState: { n: 1 }, runs: [{ id: 'run00001', name: 'run00001', config: {} }],
      });
      expect(runs).toEqual([]);
      expect(await store.listRuns(sweepId)).toEqual([]);
      expect(await store.getSchedulerState(sweepId)).toBeNull();
    });

    it('writes nothing of a launch that fails half way (duplicate run id)', async () => {
      const { sweepId, agentId } = await withAgent();
      await store.launchRuns(sweepId, { agentId, at: at(1), requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: {} }] });
      await expect(
        store.launchRuns(sweepId, {
          agentId, at: at(2), requireState: ['RUNNING'], schedulerState: { n: 9 },
          runs: [{ id: 'run00002', name: 'run00002', config: {} }, { id: 'run00001', name: 'run00001', config: {} }],
        }),
      ).rejects.toThrow();
      expect((await store.listRuns(sweepId)).map((r) => r.id)).toEqual(['run00001']);
      expect(await store.getSchedulerState(sweepId)).toBeNull();
    });

    it('updates run fields', async () => {
      const { sweepId, agentId } = await withAgent();
      await store.launchRuns(sweepId, { agentId, at: at(1), requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: {} }] });
      await store.updateRun('run00001', { state: 'running', startedAt: at(2) });
      await store.updateRun('run00001', { stopRequested: true, stopReason: 'hyperband', earlyTerminateInfo: { band: new PyFloat(1) } });
      const r = await store.updateRun('run00001', { state: 'killed', exitCode: -15, endedAt: at(3) });
      expect(r).toMatchObject({ state: 'killed', exitCode: -15, startedAt: at(2), endedAt: at(3), stopRequested: true, stopReason: 'hyperband' });
      expect(stringifyJson(r!.earlyTerminateInfo)).toBe('{"band":1.0}');
      expect(await store.updateRun('nope', { state: 'running' })).toBeUndefined();
      expect(await store.getRun('nope')).toBeUndefined();
    });

    it('appends history idempotently by seq and keeps the summary', async () => {
      const { sweepId, agentId } = await withAgent();
      await store.launchRuns(sweepId, { agentId, at: at(1), requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: {} }] });
      const rows = [0, 1, 2, 3].map((i) => ({ _step: i, loss: new PyFloat(10 - i) }));
      expect(await store.appendHistory('run00001', { seq: 0, rows: rows.slice(0, 2) })).toEqual({ historyLength: 2, added: 2 });
      // The same batch again, and an overlapping one: no duplicates, no overwrite.
      expect(await store.appendHistory('run00001', { seq: 0, rows: rows.slice(0, 2) })).toEqual({ historyLength: 2, added: 0 });
      expect(await store.appendHistory('run00001', { seq: 1, rows: [{ _step: 1, loss: 99 }, rows[2]] })).toEqual({ historyLength: 3, added: 1 });
      const history = await store.getHistory('run00001');
      expect(stringifyJson(history)).toBe('[{"_step":0,"loss":10.0},{"_step":1,"loss":9.0},{"_step":2,"loss":8.0}]');
      const run = await store.getRun('run00001');
      expect(run?.historyLength).toBe(3);
      expect(stringifyJson(run?.summary)).toBe('{"_step":2,"loss":8.0}');
      await store.appendHistory('run00001', { seq: 3, rows: [rows[3]], summary: { best: new PyFloat(7) } });
      expect(stringifyJson((await store.getRun('run00001'))?.summary)).toBe('{"_step":3,"loss":7.0,"best":7.0}');
      // A summary-only write.
      await store.appendHistory('run00001', { seq: 4, rows: [], summary: { final: 1 } });
      expect((await store.getRun('run00001'))?.summary.final).toBe(1);
      expect((await store.getSweepHistory(sweepId)).get('run00001')?.length).toBe(4);
    });

    it('reads history from an index on, when the store can (getHistorySince)', async () => {
      if (!store.getHistorySince) return;
      const { sweepId, agentId } = await withAgent();
      await store.launchRuns(sweepId, { agentId, at: at(1), requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: {} }] });
      await store.appendHistory('run00001', { seq: 0, rows: [0, 1, 2, 3].map((i) => ({ i, x: new PyFloat(i) })) });
      expect(stringifyJson(await store.getHistorySince('run00001', 2))).toBe('[{"i":2,"x":2.0},{"i":3,"x":3.0}]');
      expect(await store.getHistorySince('run00001', 4)).toEqual([]);
      expect((await store.getHistorySince('run00001', 0)).length).toBe(4);
      expect(await store.getHistorySince('nope', 0)).toEqual([]);
    });

    it('refuses a history batch that leaves a gap, and history of an unknown run', async () => {
      const { sweepId, agentId } = await withAgent();
      await store.launchRuns(sweepId, { agentId, at: at(1), requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: {} }] });
      await expect(store.appendHistory('run00001', { seq: 2, rows: [{ a: 1 }] })).rejects.toMatchObject({ code: 'history-gap' });
      expect(await store.getHistory('run00001')).toEqual([]);
      await expect(store.appendHistory('nope', { seq: 0, rows: [{ a: 1 }] })).rejects.toMatchObject({ code: 'run-not-found' });
    });

    it('registers agents and records heartbeats', async () => {
      const { sweepId, agentId } = await withAgent();
      const a = await store.getAgent(agentId);
      expect(a).toMatchObject({ id: agentId, sweepId, host: 'h', pid: 1, slots: 1, heartbeatAt: T0 });
      expect((await store.heartbeatAgent(agentId, at(5)))?.heartbeatAt).toBe(at(5));
      expect(await store.heartbeatAgent('nope', at(5))).toBeUndefined();
      expect((await store.listAgents(sweepId)).map((x) => x.id)).toEqual([agentId]);
    });

    it('crashes the active runs of agents whose heartbeat is stale', async () => {
      const { sweepId, agentId } = await withAgent();
      await store.registerAgent({ id: 'ag000002', sweepId, host: 'h2', pid: 2, slots: 1, createdAt: T0 });
      await store.launchRuns(sweepId, { agentId, at: at(1), requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: {} }, { id: 'run00002', name: 'run00002', config: {} }] });
      await store.launchRuns(sweepId, { agentId: 'ag000002', at: at(1), requireState: ['RUNNING'], runs: [{ id: 'run00003', name: 'run00003', config: {} }] });
      await store.updateRun('run00002', { state: 'finished' });
      await store.heartbeatAgent('ag000002', at(100));
      const crashed = await store.crashStaleRuns(at(50), at(101));
      expect(crashed.map((r) => [r.id, r.state, r.endedAt])).toEqual([['run00001', 'crashed', at(101)]]);
      expect((await store.getRun('run00002'))?.state).toBe('finished');
      expect((await store.getRun('run00003'))?.state).toBe('pending');
      expect(await store.crashStaleRuns(at(50), at(102))).toEqual([]);
    });

    it('supersedes runs by state, once', async () => {
      const { sweepId, agentId } = await withAgent();
      await store.launchRuns(sweepId, {
        agentId, at: at(1), requireState: ['RUNNING'],
        runs: ['run00001', 'run00002', 'run00003', 'run00004'].map((id) => ({ id, name: id, config: {} })),
      });
      await store.updateRun('run00001', { state: 'failed' });
      await store.updateRun('run00002', { state: 'crashed' });
      await store.updateRun('run00003', { state: 'finished' });
      const marked = await store.supersedeRuns(sweepId, ['failed', 'crashed']);
      expect(marked.map((r) => [r.id, r.superseded])).toEqual([['run00001', true], ['run00002', true]]);
      expect(await store.supersedeRuns(sweepId, ['failed', 'crashed'])).toEqual([]);
      expect((await store.listRuns(sweepId)).map((r) => r.superseded)).toEqual([true, true, false, false]);
    });

    // ---- Access tokens (issue 8) ----
    const hashOf = (c: string) => c.repeat(64).slice(0, 64);

    it('creates tokens, finds them by hash only, lists them oldest first', async () => {
      const a = await store.createToken({ id: 'tok00001', name: 'ci', hash: hashOf('a'), createdAt: at(1) });
      expect(a).toEqual({ id: 'tok00001', name: 'ci', hash: hashOf('a'), createdAt: at(1) });
      await store.createToken({ id: 'tok00002', name: 'laptop', hash: hashOf('b'), createdAt: at(2) });
      expect((await store.findTokenByHash(hashOf('b')))?.id).toBe('tok00002');
      expect(await store.findTokenByHash(hashOf('c'))).toBeUndefined();
      expect(await store.findTokenByHash('tok00001')).toBeUndefined();
      expect((await store.listTokens()).map((t) => [t.id, t.name])).toEqual([['tok00001', 'ci'], ['tok00002', 'laptop']]);
    });

    it('refuses a token whose id or hash is taken', async () => {
      await store.createToken({ id: 'tok00001', name: 'a', hash: hashOf('a'), createdAt: at(1) });
      await expect(store.createToken({ id: 'tok00001', name: 'b', hash: hashOf('b'), createdAt: at(2) })).rejects.toThrow();
      await expect(store.createToken({ id: 'tok00002', name: 'b', hash: hashOf('a'), createdAt: at(2) })).rejects.toThrow();
      expect((await store.listTokens()).map((t) => t.id)).toEqual(['tok00001']);
    });

    it('records the last use and revokes a token once, keeping it', async () => {
      await store.createToken({ id: 'tok00001', name: 'a', hash: hashOf('a'), createdAt: at(1) });
      await store.touchToken('tok00001', at(5));
      await store.touchToken('nope', at(5));
      expect((await store.findTokenByHash(hashOf('a')))?.lastUsedAt).toBe(at(5));
      const revoked = await store.revokeToken('tok00001', at(6));
      expect(revoked).toMatchObject({ id: 'tok00001', revokedAt: at(6), lastUsedAt: at(5) });
      expect((await store.revokeToken('tok00001', at(9)))?.revokedAt).toBe(at(6));
      expect((await store.findTokenByHash(hashOf('a')))?.revokedAt).toBe(at(6));
      expect(await store.revokeToken('nope', at(6))).toBeUndefined();
      expect((await store.listTokens()).length).toBe(1);
    });
    // ---- end of access tokens ----

    // ---- Sweeps on Launch (issue 7) ----------------------------------------------------------

    const item = (id: string, extra: Partial<NewQueueItem> = {}): NewQueueItem => ({
      id, queue: 'q', priority: 2, kind: 'run', spec: { config: { lr: new PyFloat(1) }, program: 'train.py' },
      resource: 'local-process', resourceArgs: { env: { A: '1' } }, createdAt: T0, ...extra,
    });
    const launchAgent = (id: string, extra: Partial<NewLaunchAgent> = {}): NewLaunchAgent => ({
      id, host: 'h', pid: 1, queues: ['q'], maxJobs: 1, maxSchedulers: 1, createdAt: T0, ...extra,
    });
    const claim = (launchAgentId: string, extra: Partial<ItemClaim> = {}): ItemClaim => ({
      launchAgentId, queues: ['q'], kinds: ['run', 'scheduler'], at: at(1), ...extra,
    });
    function launchSweep(id = 'sw000001', itemId = 'it000001'): LaunchSweepCreate {
      return {
        sweep: newSweep(id, { state: 'PENDING' }),
        launch: { sweepId: id, queue: 'q', priority: 1, scheduler: { num_workers: 2 }, launch: { queue: 'q' }, createdAt: T0 },
        schedulerItem: item(itemId, { kind: 'scheduler', priority: 2, spec: { entryPoint: ['broom', 'scheduler', id] } }),
      };
    }

    it('launch: creates queues once and lists them by name', async () => {
      const a = await store.ensureQueue('zeta', at(1));
      expect(a).toEqual({ name: 'zeta', createdAt: at(1) });
      expect(await store.ensureQueue('zeta', at(5))).toEqual(a);
      await store.ensureQueue('alpha', at(2));
      expect((await store.listQueues()).map((q) => q.name)).toEqual(['alpha', 'zeta']);
      expect(await store.getQueue('nope')).toBeUndefined();
    });

    it('launch: enqueues items with their spec (floats kept), refusing an unknown queue', async () => {
      await expect(store.enqueueItem(item('it000001'))).rejects.toMatchObject({ code: 'queue-not-found' });
      await store.ensureQueue('q', T0);
      const got = await store.enqueueItem(item('it000001'));
      expect(got).toMatchObject({ id: 'it000001', queue: 'q', priority: 2, kind: 'run', state: 'queued', stopRequested: false, resource: 'local-process', createdAt: T0 });
      expect(got.launchAgentId).toBeUndefined();
      expect(stringifyJson(got.spec as never)).toBe('{"config":{"lr":1.0},"program":"train.py"}');
      expect(got.resourceArgs).toEqual({ env: { A: '1' } });
      await expect(store.enqueueItem(item('it000001'))).rejects.toThrow();
    });

    it('launch: claims the highest priority first, then the first enqueued, from the given queues and kinds only', async () => {
      await store.ensureQueue('q', T0);
      await store.ensureQueue('other', T0);
      await store.registerLaunchAgent(launchAgent('la000001'));
      await store.enqueueItem(item('low00001', { priority: 3 }));
      await store.enqueueItem(item('med00001', { priority: 2, createdAt: at(9) }));
      await store.enqueueItem(item('med00002', { priority: 2, createdAt: at(1) }));
      await store.enqueueItem(item('crit0001', { priority: 0 }));
      await store.enqueueItem(item('sched001', { priority: 0, kind: 'scheduler' }));
      await store.enqueueItem(item('othr0001', { priority: 0, queue: 'other' }));
      const order: string[] = [];
      for (;;) {
        const got = await store.claimItem(claim('la000001', { kinds: ['run'] }));
        if (!got) break;
        expect(got).toMatchObject({ state: 'claimed', launchAgentId: 'la000001', claimedAt: at(1) });
        order.push(got.id);
      }
      // Equal priorities come out in enqueue order, whatever their createdAt.
      expect(order).toEqual(['crit0001', 'med00001', 'med00002', 'low00001']);
      expect((await store.claimItem(claim('la000001', { kinds: ['scheduler'] })))?.id).toBe('sched001');
      expect((await store.claimItem(claim('la000001', { queues: ['other', 'q'] })))?.id).toBe('othr0001');
      expect(await store.claimItem(claim('la000001', { queues: ['other', 'q'] }))).toBeUndefined();
      await expect(store.claimItem(claim('nope'))).rejects.toMatchObject({ code: 'launch-agent-not-found' });
    });

    it('launch: hands out each item at most once under concurrent claims', async () => {
      await store.ensureQueue('q', T0);
      const agents = ['la000001', 'la000002', 'la000003', 'la000004'];
      for (const a of agents) await store.registerLaunchAgent(launchAgent(a));
      const ids = Array.from({ length: 12 }, (_, i) => `it${String(i).padStart(6, '0')}`);
      for (const id of ids) await store.enqueueItem(item(id, { priority: Number(id.slice(-1)) % 4 }));
      const claims = await Promise.all(Array.from({ length: 40 }, (_, i) => store.claimItem(claim(agents[i % agents.length]))));
      const got = claims.filter((c): c is QueueItemRow => c !== undefined);
      expect(got.length).toBe(ids.length);
      expect(new Set(got.map((c) => c.id)).size).toBe(ids.length);
      const rows = await store.listItems({ queue: 'q' });
      expect(rows.every((r) => r.state === 'claimed')).toBe(true);
      // Each item's claimer is the one that got it.
      for (const c of got) expect(rows.find((r) => r.id === c.id)?.launchAgentId).toBe(c.launchAgentId);
    });

    it('launch: lists items by filter in claim order and updates them', async () => {
      await store.ensureQueue('q', T0);
      await store.createLaunchSweep(launchSweep());
      await store.registerLaunchAgent(launchAgent('la000001'));
      await store.enqueueItem(item('it000002', { priority: 3 }));
      const claimed = await store.claimItem(claim('la000001'));
      expect(claimed?.id).toBe('it000001');
      expect((await store.listItems({ sweepId: 'sw000001' })).map((i) => i.id)).toEqual(['it000001']);
      expect((await store.listItems({ states: ['queued'] })).map((i) => i.id)).toEqual(['it000002']);
      expect((await store.listItems({ launchAgentId: 'la000001', kind: 'scheduler' })).map((i) => i.id)).toEqual(['it000001']);
      expect(await store.listItems({ states: [] })).toEqual([]);
      await store.updateItem('it000001', { state: 'running', jobId: '4242', startedAt: at(2) });
      await store.updateItem('it000001', { stopRequested: true, stopReason: 'sweep canceled' });
      const done = await store.updateItem('it000001', { state: 'stopped', exitCode: 143, endedAt: at(3), message: 'stopped' });
      expect(done).toMatchObject({ state: 'stopped', jobId: '4242', exitCode: 143, startedAt: at(2), endedAt: at(3), stopRequested: true, stopReason: 'sweep canceled', message: 'stopped' });
      expect(await store.updateItem('nope', { state: 'failed' })).toBeUndefined();
    });

    it('launch: registers launch agents, records heartbeats and stops them', async () => {
      const a = await store.registerLaunchAgent(launchAgent('la000001', { queues: ['a', 'b'], maxJobs: -1, maxSchedulers: 0 }));
      expect(a).toEqual({ id: 'la000001', host: 'h', pid: 1, queues: ['a', 'b'], maxJobs: -1, maxSchedulers: 0, state: 'polling', createdAt: T0, heartbeatAt: T0 });
      expect((await store.heartbeatLaunchAgent('la000001', at(4)))?.heartbeatAt).toBe(at(4));
      expect(await store.heartbeatLaunchAgent('nope', at(4))).toBeUndefined();
      expect(await store.stopLaunchAgent('la000001', at(5))).toMatchObject({ state: 'stopped', endedAt: at(5) });
      await store.registerLaunchAgent(launchAgent('la000002', { createdAt: at(1) }));
      expect((await store.listLaunchAgents()).map((x) => x.id)).toEqual(['la000001', 'la000002']);
    });

    it('launch: fails the items of silent launch agents and crashes their runs, not those of stopped agents', async () => {
      await store.ensureQueue('q', T0);
      await store.createLaunchSweep(launchSweep());
      await store.restartLaunchSweep('sw000001', { queue: 'q', priority: 1, scheduler: {}, schedulerItem: item('unused01'), state: 'PENDING', at: at(1), reason: 'x', from: ['PENDING'] })
        .then((r) => expect(r).toMatchObject({ ok: false, why: 'active' }));
      await store.setSweepState('sw000001', { state: 'RUNNING', at: at(1) });
      const added = await store.launchRunItems('sw000001', {
        schedulerItemId: 'it000001', at: at(2), requireState: ['RUNNING'],
        runs: [{ id: 'run00001', name: 'run00001', config: {}, item: item('it000002', { priority: 1 }) }, { id: 'run00002', name: 'run00002', config: {}, item: item('it000003', { priority: 1 }) }],
      });
      expect(added.ok).toBe(true);
      for (const id of ['la000001', 'la000002', 'la000003']) await store.registerLaunchAgent(launchAgent(id));
      expect((await store.claimItem(claim('la000001')))?.id).toBe('it000002'); // priority 1 before the scheduler's 2
      await store.updateRun('run00001', { state: 'running' });
      expect((await store.claimItem(claim('la000002')))?.id).toBe('it000003');
      expect((await store.claimItem(claim('la000003')))?.id).toBe('it000001');
      await store.heartbeatLaunchAgent('la000002', at(100));
      await store.stopLaunchAgent('la000003', at(3));
      const failed = await store.failStaleItems(at(50), at(101), 'its launch agent went silent');
      expect(failed.map((i) => [i.id, i.state, i.endedAt, i.message])).toEqual([['it000002', 'failed', at(101), 'its launch agent went silent']]);
      expect(await store.getRun('run00001')).toMatchObject({ state: 'crashed', endedAt: at(101) });
      expect((await store.getRun('run00002'))?.state).toBe('pending');
      expect((await store.getItem('it000001'))?.state).toBe('claimed');
      expect(await store.failStaleItems(at(50), at(102), 'again')).toEqual([]);
    });

    it('launch: creates a launch sweep with its launch row and scheduler item in one go', async () => {
      await expect(store.createLaunchSweep(launchSweep())).rejects.toMatchObject({ code: 'queue-not-found' });
      expect(await store.getSweep('sw000001')).toBeUndefined();
      await store.ensureQueue('q', T0);
      const { sweep, launch, item: it } = await store.createLaunchSweep(launchSweep());
      expect(sweep).toMatchObject({ id: 'sw000001', state: 'PENDING' });
      expect(launch).toEqual({ sweepId: 'sw000001', queue: 'q', priority: 1, scheduler: { num_workers: 2 }, launch: { queue: 'q' }, schedulerItemId: 'it000001', createdAt: T0, updatedAt: T0 });
      expect(it).toMatchObject({ id: 'it000001', kind: 'scheduler', sweepId: 'sw000001', state: 'queued', spec: { entryPoint: ['broom', 'scheduler', 'sw000001'] } });
      expect(await store.getLaunchSweep('sw000001')).toEqual(launch);
      expect(await store.getLaunchSweep('nope')).toBeUndefined();
      await store.createSweep(newSweep('sw000002'));
      expect(await store.getLaunchSweep('sw000002')).toBeUndefined();
    });

    it('launch: adds runs with their items atomically, only for the current scheduler and state', async () => {
      await store.ensureQueue('q', T0);
      await store.createLaunchSweep(launchSweep());
      const runs = (ids: string[]) => ids.map((id, i) => ({ id, name: id, config: { lr: new PyFloat(i + 1) }, item: item(`i-${id}`, { priority: 1, spec: { runName: id } }) }));
      const l = { schedulerItemId: 'it000001', at: at(2), requireState: ['RUNNING'] as SweepState[], schedulerState: { n: 2 } };
      expect(await store.launchRunItems('sw000001', { ...l, runs: runs(['run00001']) })).toEqual({ ok: false, why: 'state' });
      await store.setSweepState('sw000001', { state: 'RUNNING', at: at(1) });
      expect(await store.launchRunItems('sw000001', { ...l, schedulerItemId: 'old00001', runs: runs(['run00001']) })).toEqual({ ok: false, why: 'fenced' });
      expect(await store.listRuns('sw000001')).toEqual([]);
      const added = await store.launchRunItems('sw000001', { ...l, runs: runs(['run00001', 'run00002']) });
      if (!added.ok) throw new Error('refused');
      expect(added.runs.map((r) => [r.id, r.number, r.state, r.agentId, r.createdAt])).toEqual([
        ['run00001', 0, 'pending', undefined, at(2)], ['run00002', 1, 'pending', undefined, at(2)],
      ]);
      expect(added.items.map((i) => [i.id, i.runId, i.sweepId, i.state, i.priority])).toEqual([
        ['i-run00001', 'run00001', 'sw000001', 'queued', 1], ['i-run00002', 'run00002', 'sw000001', 'queued', 1],
      ]);
      expect(await store.getSchedulerState('sw000001')).toEqual({ n: 2 });
      // A duplicate run id half way: nothing of the batch is written.
      await expect(store.launchRunItems('sw000001', { ...l, schedulerState: { n: 9 }, runs: runs(['run00003', 'run00001']) })).rejects.toThrow();
      expect((await store.listRuns('sw000001')).map((r) => r.id)).toEqual(['run00001', 'run00002']);
      expect((await store.listItems({ sweepId: 'sw000001', kind: 'run' })).length).toBe(2);
      expect(await store.getSchedulerState('sw000001')).toEqual({ n: 2 });
      // The run items come before the scheduler's (priority 1 < 2) for any agent.
      await store.registerLaunchAgent(launchAgent('la000001'));
      expect((await store.claimItem(claim('la000001')))?.id).toBe('i-run00001');
    });

    it('launch: restarts a launch sweep with a new scheduler item only when none is active', async () => {
      await store.ensureQueue('q', T0);
      await store.ensureQueue('q2', T0);
      await store.createLaunchSweep(launchSweep());
      const restart = (itemId: string, from: SweepState[] = ['FAILED', 'PAUSED', 'FINISHED', 'CANCELED']): LaunchSweepRestart => ({
        queue: 'q2', priority: 3, scheduler: { num_workers: 5 }, schedulerItem: item(itemId, { queue: 'q2', kind: 'scheduler' }),
        state: 'PENDING', at: at(10), reason: 'resumed with launch-sweep', from,
      });
      const busy = await store.restartLaunchSweep('sw000001', restart('it000002'));
      expect(busy).toMatchObject({ ok: false, why: 'active', item: { id: 'it000001' } });
      await store.updateItem('it000001', { state: 'failed', endedAt: at(5) });
      await store.setSweepState('sw000001', { state: 'RUNNING', at: at(6), finishing: 'cap' });
      expect(await store.restartLaunchSweep('sw000001', restart('it000002'))).toMatchObject({ ok: false, why: 'state', sweep: { state: 'RUNNING' } });
      await store.setSweepState('sw000001', { state: 'FAILED', at: at(7), error: 'scheduler died' });
      const ok = await store.restartLaunchSweep('sw000001', restart('it000002'));
      if (!ok.ok) throw new Error('refused');
      expect(ok.sweep.state).toBe('PENDING');
      expect(ok.sweep.error).toBeUndefined();
      expect(ok.sweep.finishing).toBeUndefined();
      expect(ok.launch).toMatchObject({ queue: 'q2', priority: 3, scheduler: { num_workers: 5 }, schedulerItemId: 'it000002', updatedAt: at(10) });
      expect(ok.item).toMatchObject({ id: 'it000002', sweepId: 'sw000001', state: 'queued', queue: 'q2' });
      const events = await store.listSweepEvents('sw000001');
      expect(events.at(-1)).toMatchObject({ from: 'FAILED', to: 'PENDING', reason: 'resumed with launch-sweep' });
      // The old scheduler is fenced off.
      await store.setSweepState('sw000001', { state: 'RUNNING', at: at(11) });
      const runs = [{ id: 'run00001', name: 'run00001', config: {}, item: item('it000009') }];
      expect(await store.launchRunItems('sw000001', { schedulerItemId: 'it000001', at: at(12), requireState: ['RUNNING'], runs })).toEqual({ ok: false, why: 'fenced' });
      expect((await store.launchRunItems('sw000001', { schedulerItemId: 'it000002', at: at(12), requireState: ['RUNNING'], runs })).ok).toBe(true);
      await expect(store.restartLaunchSweep('nope', restart('it000003'))).rejects.toMatchObject({ code: 'sweep-not-found' });
    });

    // ---- end of Sweeps on Launch ---------------------------------------------------------------

    if (f.reopen) {
      const reopen = f.reopen;
      it('keeps everything across a close and reopen', async () => {
        const { sweepId, agentId } = await withAgent();
        await store.launchRuns(sweepId, { agentId, at: at(1), requireState: ['RUNNING'], schedulerState: { k: new PyFloat(2) }, runs: [{ id: 'run00001', name: 'run00001', config: { lr: new PyFloat(1) } }] });
        await store.appendHistory('run00001', { seq: 0, rows: [{ loss: 0.5 }, { loss: new PyFloat(0) }] });
        await store.setSweepState(sweepId, { state: 'PAUSED', at: at(2) });
        await store.close();
        store = await reopen(store);
        expect((await store.getSweep(sweepId))?.state).toBe('PAUSED');
        expect(stringifyJson(await store.getSchedulerState(sweepId))).toBe('{"k":2.0}');
        expect(stringifyJson((await store.getRun('run00001'))?.config)).toBe('{"lr":1.0}');
        expect(stringifyJson(await store.getHistory('run00001'))).toBe('[{"loss":0.5},{"loss":0.0}]');
        expect((await store.getAgent(agentId))?.sweepId).toBe(sweepId);
      });
    }
  });
}
