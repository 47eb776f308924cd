import type { VendorId } from './vendor-id.js';

export interface VendorInfo {
  readonly name: string;
  /** The letter in the vendor's badge. */
  readonly mark: string;
  readonly description: string;
  /** What the SDK does for this vendor, in a line. */
  readonly flows: string;
}

export const VENDOR_INFO: Readonly<Record<VendorId, VendorInfo>> = {
  light: {
    name: 'Light',
    mark: 'L',
    description: 'Accounting and finance operations (api.light.inc).',
    flows: 'OAuth 2.0 with rotating refresh tokens, or an API key',
  },
  lightbug: {
    name: 'Lightbug',
    mark: 'B',
    description: 'GPS trackers (api.lightbug.cloud).',
    flows: 'Username and password, single-use rotating refresh tokens, raw token header',
  },
  lightfi: {
    name: 'LightFi',
    mark: 'F',
    description: 'Building sensors (apiv2.lightfi.io), signing in through AWS Cognito.',
    flows: 'OAuth 2.0 authorization code with PKCE on Cognito',
  },
};
