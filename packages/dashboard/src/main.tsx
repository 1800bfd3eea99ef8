import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getToken, initToken, onUnauthorized, setToken } from './api.js';
import { QueuesPage } from './pages/QueuesPage.js';
import { RunPage } from './pages/RunPage.js';
import { SweepPage } from './pages/SweepPage.js';
import { SweepsPage } from './pages/SweepsPage.js';
import { useRoute } from './router.js';
import './styles.css';

initToken();

function TokenForm({ message, onSet }: { message: string; onSet: () => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="card token-form"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim() || null);
        onSet();
      }}
    >
      <h2>This server needs a token</h2>
      <p class="muted">{message}</p>
      <p class="muted small">
        The token is kept for this tab only (sessionStorage). You can also open the dashboard once as <code>…/?token=YOUR_TOKEN</code>; <code>broom ui</code> prints that link.
      </p>
      <input type="password" placeholder="token" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} data-testid="token-input" autofocus />
      <button type="submit" class="btn">
        Use token
      </button>
    </form>
  );
}

function App() {
  const route = useRoute();
  const [denied, setDenied] = useState<string | undefined>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => onUnauthorized((m) => setDenied(m)), []);
  let page;
  if (denied) page = <TokenForm message={getToken() ? `The server refused the token: ${denied}` : denied} onSet={() => (setDenied(undefined), setGeneration((g) => g + 1))} />;
  else if (route.page === 'sweeps') page = <SweepsPage />;
  else if (route.page === 'sweep') page = <SweepPage key={route.id} id={route.id} />;
  else if (route.page === 'run') page = <RunPage key={route.id} id={route.id} focusLog={route.log} />;
  else if (route.page === 'queues') page = <QueuesPage key={route.name ?? ''} name={route.name} />;
  else page = <p class="page">No page {route.page === 'missing' ? route.path : ''}. <a href="#/">All sweeps</a></p>;
  return (
    <>
      <nav class="top">
        <a href="#/" class="brand">
          broom
        </a>
        <a href="#/" class={route.page === 'sweeps' ? 'active' : ''}>
          Sweeps
        </a>
        <a href="#/queues" class={route.page === 'queues' ? 'active' : ''}>
          Queues
        </a>
        <span class="spacer" />
        {getToken() && (
          <button class="link" onClick={() => (setToken(null), location.reload())} title="Forget the token kept for this tab">
            forget token
          </button>
        )}
      </nav>
      <main key={generation}>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
