/**
 * Showing the authorization page to the user: the URL is always printed (to stderr), and the
 * browser is opened unless `--no-browser` was given or nothing could show it (no display, or
 * stdin not a terminal). `$BROWSER` is honoured: a command (first of a colon-separated list)
 * given the URL as its argument, or in place of `%s`; setting it opts in even without a terminal.
 */
import {requireSecureEndpoint} from './http.js';
import {spawn} from 'node:child_process';

export interface PresentOptions {
  env?: NodeJS.ProcessEnv;
  noBrowser?: boolean;
  /** Whether stdin is a terminal (default: process.stdin.isTTY). */
  stdinIsTTY?: boolean;
  platform?: NodeJS.Platform;
  /** Where messages go (stderr in the CLI). */
  print: (line: string) => void;
}

export type PresentResult = 'browser' | 'printed';

/** Print the URL and open it in a browser when one can show it. Never throws for a missing browser. */
export async function presentAuthorizationUrl(url: URL, options: PresentOptions): Promise<PresentResult> {
  // Never print or open a file:, javascript: or plain-http URL a hostile server handed over.
  requireSecureEndpoint(url, 'authorization URL');
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const explicit = env.BROWSER?.trim();
  const tty = options.stdinIsTTY ?? Boolean(process.stdin.isTTY);
  const hasDisplay = platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd' ? true : Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  const tryBrowser = !options.noBrowser && (Boolean(explicit) || (tty && hasDisplay));
  if (tryBrowser) {
    const command = explicit ? browserCommand(explicit, url.href) : defaultOpener(platform, url.href);
    if (command && (await launch(command[0]!, command.slice(1), env))) {
      options.print(`Opened your browser to sign in. If it did not open, visit:\n\n  ${url.href}\n`);
      return 'browser';
    }
  }
  options.print(`Open this URL in a browser to sign in:\n\n  ${url.href}\n`);
  return 'printed';
}

/** `$BROWSER` as argv: the first entry of a colon-separated list, `%s` replaced by the URL or the URL appended. */
export function browserCommand(value: string, url: string): string[] | undefined {
  const first = value.split(':').map((s) => s.trim()).find(Boolean);
  if (!first) return undefined;
  const parts = first.split(/\s+/);
  return parts.some((p) => p.includes('%s')) ? parts.map((p) => p.replaceAll('%s', url)) : [...parts, url];
}

function defaultOpener(platform: NodeJS.Platform, url: string): string[] | undefined {
  if (platform === 'darwin') return ['open', url];
  // rundll32 takes the URL as one argument, unlike `cmd /c start`, which would split it at `&`.
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler', url];
  return ['xdg-open', url];
}

/** Start the browser detached; resolve false when it could not be started at all. */
function launch(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, {detached: true, stdio: 'ignore', env});
    } catch {
      resolve(false);
      return;
    }
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
