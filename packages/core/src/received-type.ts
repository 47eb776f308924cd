/**
 * How a value's type is named in a validation message ("received number"), as zod's English locale names it: `null`,
 * `array`, `NaN` and `Infinity` apart from their `typeof`. Never the value itself (it may be a secret).
 */
export function receivedType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number')
    return Number.isNaN(input) ? 'NaN' : Number.isFinite(input) ? 'number' : String(input);
  return typeof input;
}
