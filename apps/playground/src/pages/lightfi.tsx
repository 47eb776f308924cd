import type { LightFiDriver } from '../vendors/lightfi.js';
import { VendorPage, type VendorPageModel } from './vendor-page.js';

export function LightFiPage({ model, driver }: { model: VendorPageModel; driver: LightFiDriver }) {
  const { client, loginHint } = driver.settings;
  const signIn = (
    <section class="card signin" aria-labelledby="signin-title">
      <div class="card-head">
        <h2 id="signin-title">Sign in to LightFi</h2>
        <span class="sub">Cognito hosted sign-in</span>
      </div>
      <div class="card-body">
        <p>
          LightFi signs users in on its AWS Cognito domain. The SDK adds PKCE (S256): the code verifier and
          the state stay on this server, only their hash travels.
        </p>
        <ol class="steps">
          <li>
            <b>1</b>Sign in on the hosted page at{' '}
            <code>{new URL(driver.target.authUrl ?? driver.target.apiUrl).host}</code>
          </li>
          <li>
            <b>2</b>Back to{' '}
            <code>{client === undefined ? '/callback/lightfi' : new URL(client.redirectUri).pathname}</code>{' '}
            with a code and the state
          </li>
          <li>
            <b>3</b>Code + verifier exchanged for tokens (Basic client authentication)
          </li>
        </ol>
        {client === undefined ? (
          <div class="hint">
            Not configured: set <code>{driver.missing.join(', ')}</code>
          </div>
        ) : (
          <form method="post" action="/lightfi/oauth" data-action="oauth">
            <button type="submit" class="btn btn-primary">
              Continue with LightFi
            </button>
          </form>
        )}
        {loginHint !== undefined && (
          <div class="hint">
            Emulator account: <code>{loginHint.username}</code> / <code>{loginHint.password}</code>
          </div>
        )}
      </div>
    </section>
  );
  return (
    <VendorPage
      model={model}
      parts={{
        signIn,
        signOutLabel: 'Revoke & log out',
        signOutNote:
          'Revoking calls POST /oauth2/revoke: the refresh token and the access tokens it issued stop working.',
      }}
    />
  );
}
