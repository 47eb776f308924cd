import { createLightbugAuth, DEFAULT_LIGHTBUG_BASE_URL } from '@auth/lightbug';

/** Logs in (v2, with a refresh token), lists the devices, calls the API two more ways, and logs out. */
export async function devicesThenLogout(
  username: string,
  password: string,
  baseUrl = DEFAULT_LIGHTBUG_BASE_URL,
) {
  const auth = createLightbugAuth({ baseUrl }); // in-memory store
  await auth.login({ username, password, refreshable: 86_400 }); // refresh token lives 1 day past expiry
  const { data: devices } = await auth.listDevices({ limit: 50, page: 1 });
  const mine = await auth.client.get('api/users/me/devices').json(); // any endpoint (v1 too), same auth
  const res = await auth.fetch(`${baseUrl}/v2/devices`); // or plain fetch
  await auth.logout();
  return { devices, mine, status: res.status };
}
