/** A Lightbug account the emulator accepts at login. */
export interface LightbugUser {
  id: number;
  username: string;
  email: string;
  password: string;
}

/**
 * A tracker, as `GET /v2/devices` lists it. Lightbug's `Device` has about 30 properties and none is required, so
 * every field but the emulator's own `ownerId` (who sees it; never sent) is optional, and any other field given is
 * served as it is.
 */
export interface LightbugDevice {
  /** The user whose device it is (the emulator's bookkeeping: not part of the answer). */
  ownerId: number;
  id?: number;
  name?: string;
  serial?: string;
  imei?: string;
  active?: boolean;
  lastConnection?: string | null;
  batteryPct?: number | null;
  firstSeen?: string;
  expires?: string;
  config?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The user the Lightbug emulator knows when none are given. */
export const DEFAULT_LIGHTBUG_USER: Readonly<LightbugUser> = {
  id: 1,
  username: 'demo',
  email: 'demo@lightbug.cloud',
  password: 'demo-password',
};

/** Three trackers owned by the default user. */
export const DEFAULT_LIGHTBUG_DEVICES: readonly LightbugDevice[] = [
  {
    id: 1001,
    name: 'Delivery van',
    serial: 'LB-ZT-000101',
    imei: '356938035643809',
    active: true,
    lastConnection: '2024-05-01T10:00:00.000Z',
    batteryPct: 87,
    ownerId: 1,
  },
  {
    id: 1002,
    name: 'Trailer 7',
    serial: 'LB-ZT-000102',
    imei: '356938035643817',
    active: true,
    lastConnection: '2024-05-01T09:45:00.000Z',
    batteryPct: 54,
    ownerId: 1,
  },
  {
    id: 1003,
    name: 'Spare unit',
    serial: 'LB-ZT-000103',
    imei: '356938035643825',
    active: false,
    lastConnection: '2024-03-12T16:20:00.000Z',
    batteryPct: 12,
    ownerId: 1,
  },
];
