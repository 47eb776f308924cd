#!/usr/bin/env node
import { CliConfigError } from './cli-config.js';
import { startControlServer } from './cli-control.js';
import { describeAsText, describeRunning, startConfiguredEmulators } from './cli-emulators.js';
import { CLI_USAGE, type CliRequest, parseCliArgs } from './cli-options.js';

async function main(): Promise<void> {
  let request: CliRequest;
  try {
    request = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof CliConfigError)) throw error;
    process.stderr.write(`auth-emulators: ${error.message}\n\nRun auth-emulators --help for the options.\n`);
    process.exitCode = 2;
    return;
  }
  if (request.help) {
    process.stdout.write(CLI_USAGE);
    return;
  }
  const running = await startConfiguredEmulators(request.config);
  let control: Awaited<ReturnType<typeof startControlServer>>;
  try {
    control = await startControlServer(running, request.config.host, request.config.controlPort);
  } catch (error) {
    await running.close();
    throw error;
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    Promise.all([control.close(), running.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const description = describeRunning(running, control.url);
  process.stdout.write(request.json ? `${JSON.stringify(description)}\n` : describeAsText(description));
}

main().catch((error: unknown) => {
  process.stderr.write(`auth-emulators: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
