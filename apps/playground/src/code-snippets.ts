import type { ActionName } from './actions.js';
import type { TokenView } from './token-view.js';
import type { VendorId } from './vendor-id.js';
import type { VendorTarget } from './vendors/vendor.js';

/** The SDK call behind one button, as the code panel shows it. */
export interface CodeSnippet {
  readonly action: ActionName | 'setup';
  /** What the button says. */
  readonly label: string;
  /** TypeScript: the exact calls the playground makes for this button. */
  readonly code: string;
  /** The API call as curl, with the credential left as a variable (the token never reaches the page). */
  readonly curl?: string | undefined;
}

export interface SnippetContext {
  readonly vendor: VendorId;
  /** Where requests go; the redirect demo is offered with the emulator only (it knows the files host). */
  readonly target: VendorTarget;
  readonly view: TokenView;
  /** The OAuth redirect URI, where the vendor has one configured. */
  readonly redirectUri: string | undefined;
  /** The button pressed last: its snippet stays listed (e.g. the callback, once signed in). */
  readonly lastAction: ActionName | undefined;
}

function curl(
  url: string,
  scheme: string | undefined,
  variable: string,
  preview: string | undefined,
): string {
  const header = scheme === undefined ? `$${variable}` : `${scheme} $${variable}`;
  return [
    `# ${variable}: ${preview ?? '…'} (redacted, it stays on the server)`,
    `curl -sS '${url}' \\`,
    `  -H "Authorization: ${header}"`,
  ].join('\n');
}

const EXPIRE = (name: string) => `const tokens = await ${name}.peek();
// The next call sees an expired token and refreshes it first.
await ${name}.setTokens({ ...tokens, expiresAt: Date.now() - 1 });`;

const REFRESH = (name: string) => `await ${name}.refresh({ force: true });`;

function light(context: SnippetContext): CodeSnippet[] {
  const { target, view, redirectUri } = context;
  const apiKey = view.method === 'API key';
  const setup = apiKey
    ? `import { Secret } from '@auth/core';
import { createLightAuth, getCurrentCompany } from '@auth/light';

const light = createLightAuth({
  baseUrl: '${target.apiUrl}',
  apiKey: new Secret(process.env.LIGHT_API_KEY),
});`
    : `import { createLightAuth, getCurrentCompany } from '@auth/light';
import { FileStore } from '@auth/store-file';

const light = createLightAuth({
  baseUrl: '${target.apiUrl}',
  clientId: process.env.LIGHT_CLIENT_ID,
  clientSecret: new Secret(process.env.LIGHT_CLIENT_SECRET),
  redirectUri: '${redirectUri ?? 'https://app.example/callback/light'}',
  store: new FileStore({ path: '.data/tokens' }),
  storeKey: \`light:\${userId}\`,
  fetch, // optional; the playground passes one that records each exchange for its timeline
});`;
  return [
    { action: 'setup', label: 'Create the client', code: setup },
    {
      action: 'oauth',
      label: 'Continue with Light',
      code: `const { url, state } = await light.authorizationUrl();
// Keep state in the server-side session; send the browser to url.`,
    },
    {
      action: 'callback',
      label: 'Callback',
      code: `// GET /callback/light?code=…&state=…
await light.handleCallback(callbackUrl, { expectedState: session.state });`,
    },
    {
      action: 'api-key',
      label: 'Use API key',
      code: `const light = createLightAuth({ baseUrl, apiKey: new Secret(apiKey) });
await getCurrentCompany(light); // one call proves Light accepts the key`,
    },
    {
      action: 'call',
      label: 'Call GET /v1/companies/current',
      code: `const company = await getCurrentCompany(light);`,
      curl: curl(
        `${target.apiUrl}/v1/companies/current`,
        apiKey ? 'Basic' : 'Bearer',
        apiKey ? 'LIGHT_API_KEY' : 'ACCESS_TOKEN',
        view.accessToken,
      ),
    },
    {
      action: 'redirect',
      label: 'Follow a redirect',
      code: `// Light answers 302 to its files host. The SDK follows redirects itself and keeps the
// Authorization header only on hosts in allowedHosts (Light's docs ask for it there).
const response = await light.fetch(\`\${baseUrl}/v1/files/playground-demo.txt\`);`,
    },
    { action: 'expire', label: 'Force expiry', code: EXPIRE('light') },
    { action: 'refresh', label: 'Refresh now', code: REFRESH('light') },
    {
      action: 'sign-out',
      label: 'Log out',
      code: `// Light has no revocation endpoint: forget the grant.
await light.clear();`,
    },
  ];
}

function lightbug(context: SnippetContext): CodeSnippet[] {
  const { target, view } = context;
  return [
    {
      action: 'setup',
      label: 'Create the client',
      code: `import { createLightbugAuth } from '@auth/lightbug';
import { FileStore } from '@auth/store-file';

const lightbug = createLightbugAuth({
  baseUrl: '${target.apiUrl}',
  store: new FileStore({ path: '.data/tokens' }),
  storeKey: \`lightbug:\${userId}\`,
  fetch, // optional; the playground passes one that records each exchange for its timeline
});`,
    },
    {
      action: 'login',
      label: 'Sign in',
      code: `await lightbug.login({
  username,
  password: new Secret(password),
  refreshable: 86_400, // seconds the refresh token outlives the access token
});`,
    },
    {
      action: 'call',
      label: 'Call GET /v2/devices',
      code: `const { data: devices } = await lightbug.listDevices();`,
      curl: curl(`${target.apiUrl}/v2/devices`, undefined, 'ACCESS_TOKEN', view.accessToken),
    },
    { action: 'expire', label: 'Force expiry', code: EXPIRE('lightbug') },
    { action: 'refresh', label: 'Refresh now', code: REFRESH('lightbug') },
    {
      action: 'sign-out',
      label: 'Log out',
      code: `await lightbug.logout(); // POST /v2/users/logout, then the store entry is cleared`,
    },
  ];
}

function lightfi(context: SnippetContext): CodeSnippet[] {
  const { target, view, redirectUri } = context;
  return [
    {
      action: 'setup',
      label: 'Create the client',
      code: `import { createLightFiAuth } from '@auth/lightfi';
import { FileStore } from '@auth/store-file';

const lightfi = createLightFiAuth({
  authDomain: '${target.authUrl ?? 'https://lightfiv2.auth.eu-west-2.amazoncognito.com'}',
  baseUrl: '${target.apiUrl}',
  clientId: process.env.LIGHTFI_CLIENT_ID,
  clientSecret: new Secret(process.env.LIGHTFI_CLIENT_SECRET),
  redirectUri: '${redirectUri ?? 'http://localhost:3000/'}',
  store: new FileStore({ path: '.data/tokens' }),
  storeKey: \`lightfi:\${userId}\`,
  fetch, // optional; the playground passes one that records each exchange for its timeline
});`,
    },
    {
      action: 'oauth',
      label: 'Continue with LightFi',
      code: `const { url, state, codeVerifier } = await lightfi.authorizationUrl();
// Keep state and codeVerifier in the server-side session; send the browser to url.`,
    },
    {
      action: 'callback',
      label: 'Callback',
      code: `await lightfi.handleCallback(callbackUrl, {
  expectedState: session.state,
  codeVerifier: session.codeVerifier,
});`,
    },
    {
      action: 'call',
      label: 'Call GET /locations',
      code: `const locations = await lightfi.listLocations();`,
      curl: curl(`${target.apiUrl}/locations`, 'Bearer', 'ACCESS_TOKEN', view.accessToken),
    },
    { action: 'expire', label: 'Force expiry', code: EXPIRE('lightfi') },
    { action: 'refresh', label: 'Refresh now', code: REFRESH('lightfi') },
    {
      action: 'sign-out',
      label: 'Revoke & log out',
      code: `await lightfi.revoke(); // POST /oauth2/revoke: the refresh token and its access tokens stop working
await lightfi.clear();`,
    },
  ];
}

const SIGNED_IN_ACTIONS = new Set<CodeSnippet['action']>([
  'setup',
  'call',
  'redirect',
  'expire',
  'refresh',
  'sign-out',
]);

/**
 * The snippets for what the page offers now: the sign-in calls while signed out, the session's buttons once
 * signed in (an API key has nothing to expire or refresh), and the one that ran last.
 */
export function codeSnippets(context: SnippetContext): CodeSnippet[] {
  const all =
    context.vendor === 'light'
      ? light(context)
      : context.vendor === 'lightbug'
        ? lightbug(context)
        : lightfi(context);
  return all.filter((snippet) => {
    if (snippet.action === 'redirect' && !context.target.emulator) return false;
    if (snippet.action === context.lastAction) return true;
    if (!context.view.signedIn) return !SIGNED_IN_ACTIONS.has(snippet.action) || snippet.action === 'setup';
    if (!context.view.renewable && (snippet.action === 'expire' || snippet.action === 'refresh'))
      return false;
    return SIGNED_IN_ACTIONS.has(snippet.action);
  });
}
