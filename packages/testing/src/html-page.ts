const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `value` made safe to place in HTML text or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Colours of a page, so each vendor's page looks like its own. */
export interface PageTheme {
  accent: string;
  accentText: string;
}

/**
 * A small self-contained HTML page (inline CSS, no scripts) around `content`, which must already be escaped.
 * The emulators' consent and sign-in pages use it, so the playground and browser tests get something clean to show.
 */
export function renderPage(title: string, content: string, theme: PageTheme): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  *{box-sizing:border-box}
  body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
    font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#111827}
  main{width:100%;max-width:380px;margin:24px;padding:32px;background:#fff;border-radius:12px;
    box-shadow:0 1px 3px rgba(0,0,0,.08),0 8px 24px rgba(0,0,0,.06)}
  h1{margin:0 0 8px;font-size:20px}
  p{margin:0 0 20px;color:#4b5563}
  .brand{font-weight:700;letter-spacing:.02em;color:${theme.accent};margin-bottom:16px}
  label{display:block;margin:0 0 6px;font-weight:600;font-size:13px}
  input[type=text],input[type=password]{width:100%;padding:10px 12px;margin:0 0 16px;border:1px solid #d1d5db;
    border-radius:8px;font:inherit}
  input:focus{outline:2px solid ${theme.accent};outline-offset:1px}
  /* The primary button comes first in the markup, so Enter submits it, and is drawn on the right. */
  .actions{display:flex;flex-direction:row-reverse;gap:12px}
  button{flex:1;padding:10px 16px;border-radius:8px;border:1px solid #d1d5db;background:#fff;font:inherit;
    font-weight:600;cursor:pointer}
  button.primary{background:${theme.accent};border-color:${theme.accent};color:${theme.accentText}}
  .error{padding:10px 12px;margin:0 0 16px;border-radius:8px;background:#fef2f2;color:#991b1b}
  .note{margin-top:20px;font-size:12px;color:#9ca3af;text-align:center}
</style>
</head>
<body>
<main>
${content}
<p class="note">Local emulator &middot; for tests only</p>
</main>
</body>
</html>
`;
}
