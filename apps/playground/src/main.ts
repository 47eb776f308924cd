import { fileURLToPath } from 'node:url';
import { ignoredVendorVariables, optionsFromEnvironment } from './config.js';
import { startPlayground } from './playground.js';

// dist/main.js -> apps/playground/.data, whatever the working directory.
const defaultDataDir = fileURLToPath(new URL('../.data', import.meta.url));

async function main(): Promise<void> {
  const options = optionsFromEnvironment(process.env, defaultDataDir);
  const playground = await startPlayground(options);
  const lines = [`\n  Auth Playground  ${playground.url}\n`];
  const emulators = playground.emulators;
  if (emulators === undefined) {
    lines.push('  mode      live vendors (PLAYGROUND_EMULATORS=0)');
  } else {
    lines.push(
      '  mode      local emulators',
      `  Light     ${emulators.light.url}  (API key light_test_key)`,
      `  Lightbug  ${emulators.lightbug.url}  (demo / demo-password)`,
      `  LightFi   ${emulators.lightfi.url}, sign-in at ${emulators.lightfi.authUrl}  (demo / demo-password)`,
    );
    const ignored = ignoredVendorVariables(process.env);
    if (ignored.length > 0) {
      lines.push(
        `  note      ${ignored.join(', ')} ignored: set PLAYGROUND_EMULATORS=0 to use the real vendors`,
      );
    }
  }
  lines.push(`  tokens    ${playground.tokenDir}\n`);
  console.log(lines.join('\n'));

  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    playground.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') {
    console.error('The port is in use: stop the other server or set PORT (PORT=0 picks a free one).');
  } else {
    console.error(error);
  }
  process.exit(1);
});
