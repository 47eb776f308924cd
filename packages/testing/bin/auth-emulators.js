#!/usr/bin/env node
// A committed launcher, so that pnpm can link the `auth-emulators` bin at install time, before `dist/` is built.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write(
      'auth-emulators: @auth/testing is not built yet: run `pnpm turbo run build --filter @auth/testing`\n',
    );
  } else {
    process.stderr.write(`auth-emulators: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
});
