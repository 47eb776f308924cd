import { createLightbugAuth, DEFAULT_LIGHTBUG_BASE_URL } from '@auth/lightbug';
import { createFileStore } from '@auth/store-file';

/** Alice's devices; her session lives in `.tokens`, shared (and refreshed) by every process using that store and key. */
export async function aliceDevices(password: string, baseUrl = DEFAULT_LIGHTBUG_BASE_URL, path = '.tokens') {
  const auth = createLightbugAuth({ store: createFileStore({ path }), storeKey: 'lightbug:alice', baseUrl });
  if (!(await auth.session())) await auth.login({ username: 'alice', password, refreshable: 2_678_400 });
  return auth.listDevices();
}
