import { escapeHtml } from './escape.js';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * Pretty-printed JSON as HTML, with keys, strings, numbers and literals wrapped for colouring; every piece of the
 * vendor's data is escaped.
 */
export function jsonView(value: unknown): string {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  let out = '';
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index;
    out += escapeHtml(text.slice(last, index));
    const [whole, string, colon, literal] = match;
    if (string !== undefined) {
      const kind = colon === undefined ? 'j-str' : 'j-key';
      out += `<span class="${kind}">${escapeHtml(string)}</span>${escapeHtml(colon ?? '')}`;
    } else if (literal !== undefined) {
      out += `<span class="j-lit">${literal}</span>`;
    } else {
      out += `<span class="j-num">${escapeHtml(whole)}</span>`;
    }
    last = index + whole.length;
  }
  out += escapeHtml(text.slice(last));
  return out;
}
