#!/usr/bin/env node
import { CLI_USAGE, describeEmulators, parseCliArgs } from './cli-options.js';
import { startEmulators } from './start-emulators.js';

async function main(): Promise<void> {
  let request: ReturnType<typeof parseCliArgs>;
  try {
    request = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (request.help) {
    process.stdout.write(CLI_USAGE);
    return;
  }
  const emulators = await startEmulators(request.options);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulators.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`${describeEmulators(emulators)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`auth-emulators: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
