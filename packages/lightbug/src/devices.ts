import { ConfigError, type ConfigIssue, parseWith } from '@auth/core';
import type { KyInstance } from 'ky';
import { devicePageSchema, type LightbugDevicePage } from './schemas.js';

/** Options of `listDevices`. Left out, the server's defaults apply. */
export interface ListDevicesOptions {
  /** Devices per page (`_limit`), an integer of at least 1. @default the server's (20 on the emulator) */
  limit?: number;
  /** Page number (`_page`), counting from 1. @default 1 */
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
    if (!Number.isInteger(value) || value < 1)
      issues.push({ option: name, message: 'must be an integer of at least 1' });
    else searchParams.set(param, String(value));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return parseWith(
    devicePageSchema,
    await client.get('v2/devices', { searchParams }).json(),
    'Lightbug device list',
  );
}
