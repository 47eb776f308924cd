import { createLightbugAuth, type LightbugAuth } from '@auth/lightbug';

/** Makes a personal access token for CI, uses it, lists and pages the tokens, then revokes it. */
export async function ciToken(auth: LightbugAuth, saveSecret: (value: string) => Promise<void>) {
  const pat = await auth.createPersonalAccessToken({ description: 'CI', ttl: 30 * 86_400 }); // seconds, max 1 year
  await saveSecret(pat.token.reveal()); // shown only now; `pat.token` prints as [redacted]
  const ci = createLightbugAuth({ token: pat.token, baseUrl: auth.baseUrl }); // fixed: never refreshed or stored
  const devices = await ci.listDevices();
  const all = await auth.listPersonalAccessTokens(); // every page: [{ id, ttl, created, expiresAt, description }]
  const page = await auth.listPersonalAccessTokenPage({ limit: 10, page: 1 }); // { tokens, limit, page, total }
  await auth.revokePersonalAccessToken(pat.id!); // `id` is optional in Lightbug's answer; it gives one
  return { devices, all, page };
}
