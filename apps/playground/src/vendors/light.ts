import { ConfigError, Secret, StateMismatchError, type TokenStore } from '@auth/core';
import type { HostPattern } from '@auth/core/adapter';
import { createLightAuth, getCurrentCompany, type LightApiKeyAuth, type LightOAuthAuth } from '@auth/light';
import { recordingFetch } from '../recording-fetch.js';
import { redact } from '../redact.js';
import { recordSdkEvents } from '../sdk-events.js';
import type { VendorSession } from '../session.js';
import { signedOutView, type TokenView } from '../token-view.js';
import { expireStoredToken, managedTokenView, refreshNow } from './managed-tokens.js';
import type { ResourceCall, VendorDriver, VendorTarget } from './vendor.js';

export interface LightSettings {
  readonly target: VendorTarget;
  /** Hosts besides `baseUrl` that may receive credentials (the emulator's files host). */
  readonly allowedHosts: readonly HostPattern[] | undefined;
  /** Undefined when the OAuth client is not configured: API key mode still works. */
  readonly oauth:
    | { readonly clientId: string; readonly clientSecret: Secret; readonly redirectUri: string }
    | undefined;
  /** What `oauth` still needs, as environment variable names. */
  readonly missing: readonly string[];
  /** Prefilled in the API key field; only the emulator's public test key. */
  readonly apiKeyHint: string | undefined;
  readonly store: TokenStore;
}

export interface LightDriver extends VendorDriver {
  readonly settings: LightSettings;
  /** The consent page to send the browser to. */
  startOAuth(session: VendorSession): Promise<string>;
  finishOAuth(session: VendorSession, callbackUrl: URL): Promise<void>;
  useApiKey(session: VendorSession, apiKey: string): Promise<void>;
  /**
   * `GET /v1/files/:id`, which Light answers with a redirect to its files host: the SDK follows it itself and
   * keeps the credential only because that host is allowed. Offered with the emulator, whose files host is known.
   */
  followRedirect(session: VendorSession): Promise<ResourceCall>;
}

interface ApiKeyState {
  readonly auth: LightApiKeyAuth;
  readonly preview: string;
  readonly stopRecording: () => void;
}

interface LightState {
  readonly oauth: LightOAuthAuth | undefined;
  apiKey: ApiKeyState | undefined;
}

const RESOURCE = 'GET /v1/companies/current';
/** A file of the emulator's files host, behind a 302. */
export const REDIRECT_PATH = '/v1/files/playground-demo.txt';

export function createLightDriver(settings: LightSettings): LightDriver {
  const states = new WeakMap<VendorSession, LightState>();
  const common = {
    baseUrl: settings.target.apiUrl,
    ...(settings.allowedHosts === undefined ? {} : { allowedHosts: [...settings.allowedHosts] }),
  };

  function stateOf(session: VendorSession): LightState {
    let state = states.get(session);
    if (state === undefined) {
      const oauth =
        settings.oauth === undefined
          ? undefined
          : createLightAuth({
              ...common,
              clientId: settings.oauth.clientId,
              clientSecret: settings.oauth.clientSecret,
              redirectUri: settings.oauth.redirectUri,
              store: settings.store,
              storeKey: session.storeKey,
              fetch: recordingFetch(session.log),
            });
      if (oauth !== undefined) recordSdkEvents(oauth, session);
      state = { oauth, apiKey: undefined };
      states.set(session, state);
    }
    return state;
  }

  function requireOAuth(state: LightState): LightOAuthAuth {
    if (state.oauth === undefined)
      throw new ConfigError(`Light OAuth is not configured: set ${settings.missing.join(', ')}`);
    return state.oauth;
  }

  function forgetApiKey(state: LightState): void {
    state.apiKey?.stopRecording();
    state.apiKey = undefined;
  }

  /** The signed-in client: the API key when one is in use, else the OAuth grant. */
  function activeAuth(state: LightState): LightApiKeyAuth | LightOAuthAuth {
    return state.apiKey?.auth ?? requireOAuth(state);
  }

  return {
    id: 'light',
    target: settings.target,
    resource: RESOURCE,
    missing: settings.missing,
    settings,

    async tokenView(session): Promise<TokenView> {
      const state = stateOf(session);
      if (state.apiKey !== undefined) {
        return {
          ...signedOutView(session.refreshes, session.lastRefresh),
          signedIn: true,
          method: 'API key',
          header: `Basic ${state.apiKey.preview}`,
          accessToken: state.apiKey.preview,
          tokenType: 'basic',
        };
      }
      if (state.oauth === undefined) return signedOutView(session.refreshes, session.lastRefresh);
      // @auth/light always writes Bearer for OAuth tokens, whatever token_type said.
      return managedTokenView(state.oauth, session, {
        method: 'OAuth 2.0 · authorization code',
        scheme: 'Bearer',
      });
    },

    async startOAuth(session) {
      const { url, state } = await requireOAuth(stateOf(session)).authorizationUrl();
      session.pending = { state, codeVerifier: undefined };
      return url;
    },

    async finishOAuth(session, callbackUrl) {
      const state = stateOf(session);
      const pending = session.pending;
      session.pending = undefined;
      if (pending === undefined) {
        throw new StateMismatchError('No Light sign-in was started in this browser session: start it again');
      }
      await requireOAuth(state).handleCallback(callbackUrl, { expectedState: pending.state });
      forgetApiKey(state);
    },

    async useApiKey(session, apiKey) {
      const state = stateOf(session);
      const auth = createLightAuth({
        ...common,
        apiKey: new Secret(apiKey),
        fetch: recordingFetch(session.log),
      });
      const stopRecording = recordSdkEvents(auth, session);
      try {
        // A key is only worth keeping if Light accepts it.
        await getCurrentCompany(auth);
      } catch (error) {
        stopRecording();
        throw error;
      }
      forgetApiKey(state);
      await state.oauth?.clear();
      state.apiKey = { auth, preview: redact(apiKey), stopRecording };
    },

    async callResource(session) {
      const body = await getCurrentCompany(activeAuth(stateOf(session)));
      return { request: RESOURCE, body };
    },

    async followRedirect(session) {
      const request = `GET ${REDIRECT_PATH}`;
      const response = await activeAuth(stateOf(session)).fetch(`${settings.target.apiUrl}${REDIRECT_PATH}`);
      const text = await response.text();
      if (!response.ok) throw new ConfigError(`${request} answered ${response.status}`);
      return { request, body: { status: response.status, body: text } };
    },

    async forceExpiry(session) {
      const state = stateOf(session);
      if (state.apiKey !== undefined)
        throw new ConfigError('An API key does not expire: there is nothing to force');
      await expireStoredToken(requireOAuth(state));
    },

    async refreshNow(session) {
      await refreshNow(activeAuth(stateOf(session)));
    },

    async signOut(session) {
      const state = stateOf(session);
      forgetApiKey(state);
      // Light has no revocation endpoint: forgetting the grant is all a client can do.
      await state.oauth?.clear();
    },
  };
}
