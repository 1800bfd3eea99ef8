import { connect } from '../agent/server-connection.js';
import { UsageError } from '../io.js';

export interface UiCommandOptions {
  url?: string;
  token?: string;
  /** commander's `--no-open`: false when given. */
  open?: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Whether a browser can be opened here: macOS and Windows always; elsewhere a display or $BROWSER. */
export function canOpenBrowser(env: Env = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.BROWSER);
}

/** The dashboard's address: the server's root, with the token once in `?token=` (the page keeps it for the tab and drops it from the address bar). */
export function dashboardUrl(serverUrl: string, token: string | undefined): string {
  const base = `${serverUrl.replace(/\/+$/, '')}/`;
  return token ? `${base}?token=${encodeURIComponent(token)}` : base;
}

/**
 * `broom ui`: print the dashboard's URL and open it in a browser when one is available. Like the other
 * commands it talks to --url/BROOM_URL, else a local server, which it starts in the background if none answers.
 */
export async function uiCommand(opts: UiCommandOptions, env: Env = process.env): Promise<number> {
  const token = opts.token ?? (env.BROOM_TOKEN || undefined);
  const { client, url } = await connect({ url: opts.url, token, env });
  await client.health();
  const page = await fetch(`${url}/`).catch(() => undefined);
  const body = page?.ok ? await page.text() : '';
  if (page?.ok && body.includes('dashboard is not built')) {
    throw new UsageError(`The server at ${url} has no built dashboard: run \`pnpm build\` in the broom repository and restart the server (broom server --stop).`, 1);
  }
  const link = dashboardUrl(url, token);
  process.stdout.write(`${link}\n`);
  if (opts.open === false) return 0;
  if (!canOpenBrowser(env)) {
    process.stderr.write('broom: no browser here (no DISPLAY): open the URL above in a browser that can reach the server.\n');
    return 0;
  }
  const { default: open } = await import('open');
  try {
    const child = await open(link);
    child.on('error', () => process.stderr.write('broom: could not start a browser: open the URL above yourself.\n'));
    process.stderr.write('broom: opened the dashboard in your browser.\n');
  } catch (error) {
    process.stderr.write(`broom: could not start a browser (${(error as Error).message}): open the URL above yourself.\n`);
  }
  return 0;
}
