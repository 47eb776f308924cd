import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The command that opens a URL in the desktop's browser here, if there is one on PATH. */
export function browserOpener(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const name = platform === 'darwin' ? 'open' : platform === 'win32' ? undefined : 'xdg-open';
  if (name === undefined) return undefined;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Starts the browser on `url` without waiting for it; `false` when there is no opener (the URL is printed anyway). */
export function openBrowser(url: string, env: NodeJS.ProcessEnv): boolean {
  const opener = browserOpener(env);
  if (opener === undefined) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
