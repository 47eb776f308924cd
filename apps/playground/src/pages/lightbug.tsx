import type { LightbugDriver } from '../vendors/lightbug.js';
import { VendorPage, type VendorPageModel } from './vendor-page.js';

/** How long the refresh token outlives the access token (Lightbug's `refreshable`, seconds; 31 days at most). */
export const REFRESHABLE_CHOICES = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 604_800, label: '7 days' },
  { seconds: 2_678_400, label: '31 days (maximum)' },
] as const;

export const DEFAULT_REFRESHABLE = 86_400;

export function LightbugPage({ model, driver }: { model: VendorPageModel; driver: LightbugDriver }) {
  const hint = driver.settings.loginHint;
  const signIn = (
    <section class="card signin" aria-labelledby="signin-title">
      <div class="card-head">
        <h2 id="signin-title">Sign in to Lightbug</h2>
        <span class="sub">v2 login</span>
      </div>
      <div class="card-body">
        <p>
          Your password goes to <code>POST /v2/users/login</code> once and is not kept. With{' '}
          <code>refreshable</code>, Lightbug also returns a single-use refresh token that rotates on every
          refresh.
        </p>
        <form method="post" action="/lightbug/login" data-action="login">
          <div class="split">
            <div class="field">
              <label for="username">Username or email</label>
              <input
                id="username"
                name="username"
                type="text"
                autocomplete="username"
                required
                value={hint?.username ?? ''}
              />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                value={hint?.password ?? ''}
              />
            </div>
          </div>
          <div class="field">
            <label for="refreshable">Keep the session refreshable for</label>
            <select id="refreshable" name="refreshable">
              {REFRESHABLE_CHOICES.map((choice) => (
                <option value={String(choice.seconds)} selected={choice.seconds === DEFAULT_REFRESHABLE}>
                  {choice.label}
                </option>
              ))}
            </select>
            <span class="help">How long the refresh token lives after the access token expires.</span>
          </div>
          <button type="submit" class="btn btn-primary">
            Sign in
          </button>
        </form>
        {hint !== undefined && (
          <div class="hint">
            Emulator account prefilled: <code>{hint.username}</code> / <code>{hint.password}</code>
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
        signOutLabel: 'Log out',
        signOutNote:
          'Logging out calls POST /v2/users/logout, which invalidates the access token at Lightbug.',
      }}
    />
  );
}
