import { parseArgs } from 'node:util';
import type { Emulators, StartEmulatorsOptions } from './start-emulators.js';

/** The usage text of the `auth-emulators` command. */
export const CLI_USAGE = `Usage: auth-emulators [options]

Starts the Light, Lightbug and LightFi emulators, prints their URLs as one line of JSON, and runs until
SIGINT or SIGTERM.

Options (ports default to 0, a free port):
  --host <host>               interface to listen on (default 127.0.0.1)
  --light-port <port>         Light API and auth host
  --light-files-port <port>   Light files host (the target of its redirects)
  --lightbug-port <port>      Lightbug API
  --lightfi-port <port>       LightFi API
  --lightfi-auth-port <port>  LightFi Cognito domain
  -h, --help                  show this text
`;

/** What the command line asked for. */
export type CliRequest = { help: true } | { help: false; options: StartEmulatorsOptions };

function port(flag: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const number = Number(value);
  if (value === '' || !Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new RangeError(`--${flag} must be a port number between 0 and 65535, got '${value}'`);
  }
  return number;
}

/** Turns the command-line arguments (without `node` and the script) into emulator options. */
export function parseCliArgs(args: string[]): CliRequest {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      host: { type: 'string' },
      'light-port': { type: 'string' },
      'light-files-port': { type: 'string' },
      'lightbug-port': { type: 'string' },
      'lightfi-port': { type: 'string' },
      'lightfi-auth-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return { help: true };
  const host = values.host;
  return {
    help: false,
    options: {
      light: {
        host,
        port: port('light-port', values['light-port']),
        filesPort: port('light-files-port', values['light-files-port']),
      },
      lightbug: { host, port: port('lightbug-port', values['lightbug-port']) },
      lightfi: {
        host,
        port: port('lightfi-port', values['lightfi-port']),
        authPort: port('lightfi-auth-port', values['lightfi-auth-port']),
      },
    },
  };
}

/** The one line of JSON the command prints once every server listens. */
export function describeEmulators(emulators: Emulators): string {
  return JSON.stringify({
    light: { url: emulators.light.url, filesUrl: emulators.light.filesUrl },
    lightbug: { url: emulators.lightbug.url },
    lightfi: { url: emulators.lightfi.url, authUrl: emulators.lightfi.authUrl },
  });
}
