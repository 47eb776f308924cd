import { createLightbugAuth, DEFAULT_LIGHTBUG_BASE_URL } from '@auth/lightbug';

/** A client that logs in again by itself when the session cannot be refreshed any more. */
export async function selfRenewing(username: string, password: string, baseUrl = DEFAULT_LIGHTBUG_BASE_URL) {
  const auth = createLightbugAuth({ reloginOnExpiry: true, baseUrl });
  await auth.login({ username, password }); // the credentials stay in memory (as Secrets), never in the store
  // …when the session cannot be refreshed any more (no refresh token, or it expired or was rejected), the SDK logs
  // in again with them. A re-login Lightbug refuses (401 wrong password, or another 4xx) forgets them and throws
  // ReauthRequiredError: no later call sends them again (the auth rate limit is about 12 a minute) until you call
  // login() again. A 429, 5xx or network failure keeps them for the next call.
  return auth;
}
