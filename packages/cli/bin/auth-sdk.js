#!/usr/bin/env node
// A committed launcher, so that pnpm can link the `auth-sdk` bin at install time, before `dist/` is built.
import('../dist/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write(
      'auth-sdk: @auth/cli is not built yet: run `pnpm turbo run build --filter @auth/cli`\n',
    );
  } else {
    process.stderr.write(`auth-sdk: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
});
