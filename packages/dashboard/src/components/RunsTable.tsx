import { useMemo, useState } from 'preact/hooks';
import { fmtDuration, fmtValue } from '../format.js';
import { runHref } from '../router.js';
import { cellValue, columnsOf, matches, parseFilter, sortRuns } from '../table.js';
import type { AgentView, Goal, RunView } from '../types.js';
import { RunStateBadge } from './bits.js';

const PAGE = 50;

/** Every run with every parameter and metric: click a header to sort, type in the box to filter. */
export function RunsTable({ runs, agents, metric, now }: { runs: RunView[]; agents: ReadonlyMap<string, AgentView>; metric?: { name: string; goal: Goal }; now: number }) {
  const columns = useMemo(() => columnsOf(runs, metric?.name), [runs, metric?.name]);
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>(() => (metric ? { key: `summary.${metric.name}`, dir: metric.goal === 'maximize' ? -1 : 1 } : { key: 'name', dir: 1 }));
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const filter = useMemo(() => parseFilter(text, columns), [text, columns]);
  const shown = useMemo(() => sortRuns(runs.filter((r) => matches(r, filter, agents, now)), sort.key, sort.dir, agents, now), [runs, filter, sort, agents, now]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const p = Math.min(page, pages - 1);
  const onSort = (key: string) => setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: 1 }));
  return (
    <div class="runs-table">
      <div class="toolbar">
        <input
          type="search"
          class="filter"
          placeholder="Filter: lr>0.01 state=finished adam"
          value={text}
          onInput={(e) => {
            setText((e.target as HTMLInputElement).value);
            setPage(0);
          }}
          data-testid="runs-filter"
        />
        <span class="muted" data-testid="runs-shown">
          {shown.length} of {runs.length} runs
        </span>
      </div>
      {filter.errors.map((e) => (
        <div key={e} class="error small">
          {e}
        </div>
      ))}
      <div class="scroll-x">
        <table class="grid" data-testid="runs-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} class={`sortable col-${c.kind}`} onClick={() => onSort(c.key)} aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined} data-col={c.label}>
                  {c.label}
                  {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                </th>
              ))}
              <th>Log</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(p * PAGE, (p + 1) * PAGE).map((r) => (
              <tr key={r.id} data-run={r.id} data-state={r.state} class={r.superseded ? 'superseded' : ''}>
                {columns.map((c) => {
                  if (c.key === 'name')
                    return (
                      <td key={c.key}>
                        <a href={runHref(r.id)}>{r.name}</a>
                      </td>
                    );
                  if (c.key === 'state')
                    return (
                      <td key={c.key}>
                        <RunStateBadge run={r} />
                      </td>
                    );
                  const v = cellValue(r, c.key, agents, now);
                  if (c.key === 'duration') return <td key={c.key} class="num">{fmtDuration(v as number | undefined)}</td>;
                  return (
                    <td key={c.key} class={typeof v === 'number' ? 'num' : ''} data-col={c.label}>
                      {fmtValue(v)}
                    </td>
                  );
                })}
                <td>
                  <a href={`${runHref(r.id)}/log`} class="small">
                    log
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <div class="pager">
          <button disabled={p === 0} onClick={() => setPage(p - 1)}>
            ‹ prev
          </button>
          <span>
            page {p + 1} of {pages}
          </span>
          <button disabled={p >= pages - 1} onClick={() => setPage(p + 1)}>
            next ›
          </button>
        </div>
      )}
    </div>
  );
}
