import type { LightDriver } from '../vendors/light.js';
import { ActionButton, VendorPage, type VendorPageModel } from './vendor-page.js';

function OAuthColumn({ driver }: { driver: LightDriver }) {
  const oauth = driver.settings.oauth;
  return (
    <div>
      <h3>OAuth 2.0</h3>
      <p>
        Light's consent page asks you to approve this app, then sends a one-time code back to{' '}
        <code>{oauth === undefined ? '/callback/light' : new URL(oauth.redirectUri).pathname}</code>; the SDK
        checks the state and trades the code for tokens.
      </p>
      <ol class="steps">
        <li>
          <b>1</b>Approve or deny on Light's consent page
        </li>
        <li>
          <b>2</b>Callback: state checked, code exchanged
        </li>
        <li>
          <b>3</b>Tokens stored; refresh tokens rotate on every refresh
        </li>
      </ol>
      {oauth === undefined ? (
        <div class="hint">
          Not configured: set <code>{driver.missing.join(', ')}</code>
        </div>
      ) : (
        <form method="post" action="/light/oauth" data-action="oauth">
          <button type="submit" class="btn btn-primary btn-block">
            Continue with Light
          </button>
        </form>
      )}
    </div>
  );
}

function ApiKeyColumn({ driver }: { driver: LightDriver }) {
  const hint = driver.settings.apiKeyHint;
  return (
    <div>
      <h3>API key</h3>
      <p>
        Sent as <code>Authorization: Basic &lt;key&gt;</code> on every request, exactly as issued. It never
        expires, so there is nothing to refresh.
      </p>
      <form method="post" action="/light/api-key" data-action="api-key">
        <div class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="apiKey"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            value={hint ?? ''}
            placeholder="Your Light API key"
          />
        </div>
        <button type="submit" class="btn btn-block">
          Use API key
        </button>
      </form>
      {hint !== undefined && (
        <div class="hint">
          Emulator test key prefilled: <code>{hint}</code>
        </div>
      )}
    </div>
  );
}

export function LightPage({ model, driver }: { model: VendorPageModel; driver: LightDriver }) {
  const signIn = (
    <section class="card signin" aria-labelledby="signin-title">
      <div class="card-head">
        <h2 id="signin-title">Sign in to Light</h2>
        <span class="sub">two ways in</span>
      </div>
      <div class="card-body split">
        <OAuthColumn driver={driver} />
        <ApiKeyColumn driver={driver} />
      </div>
    </section>
  );
  return (
    <VendorPage
      model={model}
      parts={{
        signIn,
        signOutLabel: 'Log out',
        signOutNote: 'Light has no revocation endpoint: logging out forgets the grant here.',
        extraActions: driver.target.emulator ? (
          <ActionButton vendor="light" action="redirect">
            Follow a redirect
          </ActionButton>
        ) : undefined,
      }}
    />
  );
}
