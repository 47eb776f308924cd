import type { ErrorView } from '../error-view.js';
import type { Flash } from '../session.js';
import type { TokenView } from '../token-view.js';
import type { VendorTarget } from '../vendors/vendor.js';

export function TargetChip({ target }: { target: VendorTarget }) {
  const host = new URL(target.apiUrl).host;
  return (
    <span class="chip" title={target.apiUrl}>
      {target.emulator ? 'Emulator' : 'Live'} <code>{host}</code>
    </span>
  );
}

export function StatusPill({ view, now }: { view: TokenView; now: number }) {
  if (!view.signedIn)
    return (
      <span class="pill pill-off" data-field="status">
        Signed out
      </span>
    );
  if (view.expiresAt !== undefined && view.expiresAt <= now) {
    return (
      <span class="pill pill-warn" data-field="status">
        Signed in · token expired
      </span>
    );
  }
  return (
    <span class="pill pill-ok" data-field="status">
      Signed in
    </span>
  );
}

function ErrorBanner({ error }: { error: ErrorView }) {
  return (
    <div class="banner banner-error" role="alert" data-banner="error">
      <span class="banner-icon" aria-hidden="true">
        !
      </span>
      <div>
        <h3>
          <span data-field="error-title">{error.title}</span>{' '}
          <code class="error-code" data-field="error-name">
            {error.name}
          </code>
          <code class="error-code" data-field="error-code">
            {error.code}
          </code>
        </h3>
        <p data-field="error-message">{error.message}</p>
        {error.hint !== undefined && <p class="hint-line">{error.hint}</p>}
        {error.details.length > 0 && (
          <dl>
            {error.details.map(([name, value]) => (
              <div>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
    </div>
  );
}

export function Banner({ flash }: { flash: Flash | undefined }) {
  if (flash === undefined) return null;
  if (flash.kind === 'error') return <ErrorBanner error={flash.error} />;
  return (
    <div class="banner banner-notice" role="status" data-banner="notice">
      <span class="banner-icon" aria-hidden="true">
        ✓
      </span>
      <div>
        <p>{flash.text}</p>
      </div>
    </div>
  );
}

/** A copy button for the text of the element with id `target`. */
export function CopyButton({ target, label }: { target: string; label: string }) {
  return (
    <button type="button" class="copy" data-copy={target} aria-label={label}>
      Copy
    </button>
  );
}
