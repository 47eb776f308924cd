import { CliError, ExitCode } from './exit-codes.js';

/** Where the CLI reads and writes: the process's own streams, or a test's. */
export interface Io {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Reads a line from the terminal without echoing it (raw mode; Ctrl-C aborts, Backspace edits). Never from a pipe:
 * a secret comes from the environment or from a person at a terminal.
 */
export function promptHidden(io: Io, question: string): Promise<string> {
  const { stdin } = io;
  if (stdin.isTTY !== true || stdin.setRawMode === undefined) {
    return Promise.reject(new CliError(ExitCode.USAGE, 'not a terminal'));
  }
  const setRawMode = stdin.setRawMode.bind(stdin);
  // Echo off before the prompt shows: the terminal applies the change only once the prompt is drained, and a person
  // (or a script) answering the prompt at once would otherwise be echoed.
  setRawMode(true);
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: CliError) => {
      stdin.off('data', onData);
      setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new CliError(ExitCode.USAGE, 'Cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}

/**
 * A secret from the environment variable `name`, or typed at the terminal without echo. Never from a flag: command
 * lines end up in shell history and `ps`.
 */
export async function readSecret(io: Io, name: string, what: string): Promise<string> {
  const fromEnv = io.env[name];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY !== true) {
    throw new CliError(
      ExitCode.USAGE,
      `${what} is needed: set ${name} in the environment, or run in a terminal to be asked (secrets are never taken as flags)`,
    );
  }
  const typed = await promptHidden(io, `${what} (${name}): `);
  if (typed === '') throw new CliError(ExitCode.USAGE, `${what} is empty`);
  return typed;
}
