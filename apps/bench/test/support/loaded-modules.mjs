// Prints, as JSON, the URL of every module a cold `import(process.argv[2])` loads (Node's synchronous module hooks,
// Node >= 22.15): which files a user's process reads and compiles for one import of the SDK.
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
await import(process.argv[2]);
process.stdout.write(JSON.stringify(loaded));
