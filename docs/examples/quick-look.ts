import { createLightAuth, getCurrentCompany } from '@auth/light';
import { FileStore } from '@auth/store-file';

/** What the app knows: its Light OAuth client, and where to keep tokens. */
export interface QuickLookConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  tokenDir: string;
  baseUrl?: string; // the emulator in tests; Light itself by default
}

/** Signs a user in with Light's consent page and reads their company. `browser` opens the URL, returns the redirect. */
export async function quickLook(config: QuickLookConfig, browser: (url: string) => Promise<string>) {
  const { tokenDir, ...oauth } = config;
  const light = createLightAuth({ ...oauth, store: new FileStore({ path: tokenDir }) });
  const { url, state } = await light.authorizationUrl(); // send the user there, keep `state`
  const callbackUrl = await browser(url); // where Light sends the user back
  await light.handleCallback(callbackUrl, { expectedState: state }); // exchange + store
  return getCurrentCompany(light); // refreshed and retried as needed
}
