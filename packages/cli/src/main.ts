// The `auth-sdk` command (bin/auth-sdk.js imports this file).
import { run } from './cli.js';

process.exitCode = await run(process.argv.slice(2));
