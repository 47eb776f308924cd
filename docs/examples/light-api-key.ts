import { createLightAuth, getCurrentCompany, LIGHT_API_URL, listUsers } from '@auth/light';

/** The company, its first 100 users, and the raw company record, with an API key. */
export async function lightOverview(apiKey: string, baseUrl = LIGHT_API_URL) {
  const light = createLightAuth({ apiKey, baseUrl });

  const company = await getCurrentCompany(light); // GET /v1/companies/current, validated
  const page = await listUsers(light, { limit: 100, cursor: '0' });
  const raw = await light.client.get('v1/companies/current').json(); // any other endpoint
  return { company, page, raw };
}
