import { createLightbugAuth, DEFAULT_LIGHTBUG_BASE_URL } from '@auth/lightbug';

/** A v1 (LoopBack) login: the user record comes with the token, which then works on v2 endpoints too. */
export async function v1Login(email: string, password: string, baseUrl = DEFAULT_LIGHTBUG_BASE_URL) {
  const auth = createLightbugAuth({ baseUrl });
  const session = await auth.login({ email, password, include: 'user' }, { api: 'v1' });
  console.log(session.included.user, new Date(session.expiresAt!)); // expires at created + ttl (2 weeks by default)
  return auth.listDevices(); // v1 tokens work on v2 endpoints too
}
