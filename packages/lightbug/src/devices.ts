import { ConfigError, type ConfigIssue } from '@auth/core';
import { parseWith } from '@auth/core/adapter';
import type { KyInstance } from '@auth/core/ky';
import type { LightbugDevicePage } from './schemas.js';

/** The response schemas, loaded (with zod) on first use rather than with the package. */
const schemas = () => import('./schemas.js');

/** The largest `_limit` of `GET /v2/devices` (Lightbug's OpenAPI). */
export const MAX_DEVICES_PAGE_SIZE = 10_000;

/** Options of `listDevices`. Left out, the server's defaults apply. */
export interface ListDevicesOptions {
  /** Devices per page (`_limit`), an integer from 1 to 10,000. @default the server's: 10 */
  limit?: number;
  /**
   * Page number (`_page`). Its base is undocumented: the emulator counts from 1; read `page` of the answer to
   * know which page came back.
   * @default the server's first page
   */
  page?: number;
}

/** `GET /v2/devices?_limit&_page`: one page of the caller's trackers, validated. */
export async function listDevices(
  client: KyInstance,
  options: ListDevicesOptions = {},
): Promise<LightbugDevicePage> {
  const issues: ConfigIssue[] = [];
  const searchParams = new URLSearchParams();
  for (const [name, param] of [
    ['limit', '_limit'],
    ['page', '_page'],
  ] as const) {
    const value = options[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || (name === 'limit' && value < 1))
      issues.push({ option: name, message: `must be an integer of at least ${name === 'limit' ? 1 : 0}` });
    else if (name === 'limit' && value > MAX_DEVICES_PAGE_SIZE)
      issues.push({ option: name, message: `must be at most ${MAX_DEVICES_PAGE_SIZE}` });
    else searchParams.set(param, String(value));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const { devicePageSchema } = await schemas();
  return parseWith(
    devicePageSchema,
    await client.get('v2/devices', { searchParams }).json(),
    'Lightbug device list',
  );
}
