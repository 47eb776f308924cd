import type { ApiErrorInfo } from '@auth/core/adapter';

function describeValidationItem(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return typeof item === 'string' ? item : undefined;
  const record = item as Record<string, unknown>;
  const msg = typeof record['msg'] === 'string' ? record['msg'] : undefined;
  if (msg === undefined) return undefined;
  const loc = Array.isArray(record['loc']) ? record['loc'].map(String).join('.') : undefined;
  // `input` is left out on purpose: it echoes what the caller sent.
  return loc === undefined || loc === '' ? msg : `${loc}: ${msg}`;
}

/**
 * Reads a LightFi API error body for core's `ApiError`. LightFi's API is FastAPI, so errors are assumed
 * (unverified) to be `{"detail": "Sensor not found"}`, or for a 422 a list of pydantic errors
 * `{"detail": [{"loc": ["path", "id"], "msg": "…", "type": "…"}]}` (type `validation_error`). Anything else
 * falls back to core's generic reading. The text is returned whole: core scrubs secrets from it and only then cuts
 * it (`serverText`).
 */
export function parseLightFiApiError(body: unknown, _status: number): ApiErrorInfo | undefined {
  if (typeof body !== 'object' || body === null || !('detail' in body)) return undefined;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    const parts = detail.map(describeValidationItem).filter((part) => part !== undefined);
    const message = parts.length === 0 ? undefined : parts.join('; ');
    return { type: 'validation_error', message };
  }
  return undefined;
}
