import { useEffect, useState } from 'preact/hooks';

export type Route = { page: 'sweeps' } | { page: 'sweep'; id: string } | { page: 'run'; id: string; log: boolean } | { page: 'queues'; name?: string } | { page: 'missing'; path: string };

/** Hash routes: `#/`, `#/sweeps/<id>`, `#/runs/<id>[/log]`, `#/queues[/<name>]` (the server only serves `/`). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  let m: RegExpExecArray | null;
  if (path === '/' || path === '/sweeps') return { page: 'sweeps' };
  if ((m = /^\/sweeps\/(.+)$/.exec(path))) return { page: 'sweep', id: decodeURIComponent(m[1]) };
  if ((m = /^\/runs\/([^/]+)(\/log)?$/.exec(path))) return { page: 'run', id: decodeURIComponent(m[1]), log: m[2] !== undefined };
  if (path === '/queues') return { page: 'queues' };
  if ((m = /^\/queues\/(.+)$/.exec(path))) return { page: 'queues', name: decodeURIComponent(m[1]) };
  return { page: 'missing', path };
}

export const sweepHref = (id: string) => `#/sweeps/${encodeURIComponent(id)}`;
export const runHref = (id: string) => `#/runs/${encodeURIComponent(id)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
