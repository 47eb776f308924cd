/** A LightFi user who can sign in on the hosted page. */
export interface LightFiUser {
  username: string;
  password: string;
  /** Cognito's stable user id, the `sub` claim. */
  sub: string;
  /** @default `${username}@example.com` */
  email?: string | undefined;
}

/** A site with sensors. */
export interface LightFiLocation {
  id: number;
  name: string;
  address: string;
  timezone: string;
}

/** A sensor and the variables it reports. */
export interface LightFiSensor {
  id: string;
  name: string;
  location_id: number;
  type: string;
  /** Variable names its history can be read for, e.g. `CO2ppm`, `temperatureC`, `motionEvent`, `onlineStatus`. */
  variables: string[];
  last_seen: string;
}

/** The user the LightFi emulator knows when none are given. */
export const DEFAULT_LIGHTFI_USER: Readonly<LightFiUser> = {
  username: 'demo',
  password: 'demo-password',
  sub: '7d5e0f3a-2b1c-4e8f-9a6d-0c4b3e2f1a09',
  email: 'demo@example.com',
};

/** Two seeded locations. */
export const DEFAULT_LIGHTFI_LOCATIONS: readonly LightFiLocation[] = [
  { id: 1, name: 'Head Office', address: '1 Example Street, London', timezone: 'Europe/London' },
  { id: 2, name: 'Warehouse', address: '22 Dock Road, Bristol', timezone: 'Europe/London' },
];

const ALL_VARIABLES = ['CO2ppm', 'temperatureC', 'motionEvent', 'onlineStatus'];

/** Three seeded sensors across the two locations. */
export const DEFAULT_LIGHTFI_SENSORS: readonly LightFiSensor[] = [
  {
    id: 'LFS-0001',
    name: 'Meeting room',
    location_id: 1,
    type: 'multisensor',
    variables: ALL_VARIABLES,
    last_seen: '2024-05-01T10:00:00Z',
  },
  {
    id: 'LFS-0002',
    name: 'Open office',
    location_id: 1,
    type: 'multisensor',
    variables: ALL_VARIABLES,
    last_seen: '2024-05-01T10:00:00Z',
  },
  {
    id: 'LFS-0101',
    name: 'Loading bay',
    location_id: 2,
    type: 'motion',
    variables: ['motionEvent', 'onlineStatus'],
    last_seen: '2024-05-01T09:55:00Z',
  },
];

/** Units of the known variables. */
export const LIGHTFI_UNITS: Readonly<Record<string, string>> = {
  CO2ppm: 'ppm',
  temperatureC: '°C',
  motionEvent: 'count',
  onlineStatus: 'boolean',
};

/** A deterministic reading of `variable` at `epochMs`, so history answers can be asserted exactly. */
export function lightFiReading(variable: string, epochMs: number): number | boolean {
  const hour = Math.floor(epochMs / 3_600_000);
  switch (variable) {
    case 'CO2ppm':
      return 420 + ((hour * 37) % 480);
    case 'temperatureC':
      return 19 + ((hour * 7) % 40) / 10;
    case 'motionEvent':
      return (hour * 5) % 7;
    case 'onlineStatus':
      return hour % 24 !== 3;
    default:
      return 0;
  }
}
