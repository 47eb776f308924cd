/**
 * What the browser may see of a secret: enough to tell two tokens apart at a glance, never enough to use one.
 */
export function redact(value: string): string {
  // A short secret would be mostly revealed by four characters.
  if (value.length <= 8) return '••••';
  return `${value.slice(0, 4)}…`;
}
