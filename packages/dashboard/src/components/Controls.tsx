import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { SweepDetail, SweepState } from '../types.js';
import { ErrorBox } from './bits.js';

type Action = 'pause' | 'resume' | 'stop' | 'cancel';

/** Which actions the server accepts in a state (as `broom sweep --pause/--resume/--stop/--cancel`). */
export function allowed(action: Action, state: SweepState): boolean {
  switch (action) {
    case 'pause':
      return state === 'RUNNING';
    case 'resume':
      return state === 'PAUSED' || state === 'FINISHED' || state === 'CANCELED' || state === 'FAILED';
    case 'stop':
    case 'cancel':
      return state === 'RUNNING' || state === 'PAUSED' || state === 'PENDING';
  }
}

const HELP: Record<Action, string> = {
  pause: 'No new runs; running runs go on.',
  resume: 'Start new runs again.',
  stop: 'No new runs; running runs finish, then the sweep is finished.',
  cancel: 'Kill the running runs and end the sweep.',
};

export function Controls({ sweep, onChange }: { sweep: SweepDetail; onChange: (s: SweepDetail) => void }) {
  const [busy, setBusy] = useState<Action | undefined>();
  const [error, setError] = useState<string | undefined>();
  const act = async (action: Action) => {
    if ((action === 'stop' || action === 'cancel') && !window.confirm(`${action === 'stop' ? 'Stop' : 'Cancel'} sweep ${sweep.name}? ${HELP[action]}`)) return;
    setBusy(action);
    setError(undefined);
    try {
      onChange(await api<SweepDetail>('POST', `/sweeps/${encodeURIComponent(sweep.id)}/control`, { action }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="controls">
      {(['pause', 'resume', 'stop', 'cancel'] as const).map((a) => (
        <button key={a} class={`btn btn-${a}`} disabled={!allowed(a, sweep.state) || busy !== undefined} title={HELP[a]} onClick={() => void act(a)} data-testid={`control-${a}`}>
          {busy === a ? '…' : a[0].toUpperCase() + a.slice(1)}
        </button>
      ))}
      {error && <ErrorBox message={error} />}
    </div>
  );
}
