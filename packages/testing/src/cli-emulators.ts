import type { ConfigFault, EmulatorName, ResolvedConfig } from './cli-config.js';
import { createClock, type EmulatorClock } from './clock.js';
import type { Emulator } from './emulator.js';
import { type Emulators, startEmulators } from './start-emulators.js';

/** The emulators the CLI started, with the clock they share. */
export interface CliEmulators {
  readonly emulators: Emulators;
  readonly clock: EmulatorClock;
  readonly config: ResolvedConfig;
  /** The emulator called `name`. */
  get(name: EmulatorName): Emulator;
  close(): Promise<void>;
}

/** Injects a configured fault into its emulator; `times: "Infinity"` keeps it until cleared. */
export function injectFault(emulators: Emulators, fault: ConfigFault): void {
  const times = fault.times === 'Infinity' ? Number.POSITIVE_INFINITY : (fault.times ?? 1);
  emulators[fault.emulator].faults.inject(fault.route, fault.fault, { times });
}

/** Starts the three emulators exactly as `config` says, and injects its faults. */
export async function startConfiguredEmulators(config: ResolvedConfig): Promise<CliEmulators> {
  const clock = createClock({ start: config.clock.start, frozen: config.clock.frozen });
  const { host } = config;
  const emulators = await startEmulators({
    clock,
    light: { host, ...config.light, clients: config.light.clients.map((client) => ({ ...client })) },
    lightbug: { host, ...config.lightbug },
    lightfi: { host, ...config.lightfi },
  });
  try {
    config.faults.forEach((fault, index) => {
      try {
        injectFault(emulators, fault);
      } catch (error) {
        throw new Error(`faults[${index}]: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  } catch (error) {
    await emulators.close();
    throw error;
  }
  return {
    emulators,
    clock,
    config,
    get: (name) => emulators[name],
    close: () => emulators.close(),
  };
}

/**
 * Everything a test needs to use the running emulators, credentials included (they are test values): each
 * server's URL and endpoints, clients, API keys, users, token lifetimes and rotation, and the control endpoint.
 */
export function describeRunning(running: CliEmulators, controlUrl: string) {
  const { emulators, config, clock } = running;
  const { light, lightbug, lightfi } = emulators;
  return {
    control: { url: controlUrl },
    clock: { now: clock.now(), frozen: config.clock.frozen },
    light: {
      url: light.url,
      filesUrl: light.filesUrl,
      authorizeUrl: `${light.url}/oauth/authorize`,
      tokenUrl: `${light.url}/oauth/token`,
      clients: config.light.clients,
      apiKeys: config.light.apiKeys,
      accessTokenTtlSeconds: config.light.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: config.light.refreshTokenTtlSeconds ?? null,
      rotatesRefreshTokens: true,
    },
    lightbug: {
      url: lightbug.url,
      users: config.lightbug.users,
      accessTokenTtlSeconds: config.lightbug.accessTokenTtlSeconds,
      v1TokenTtlSeconds: config.lightbug.v1TokenTtlSeconds,
      expiryFormat: config.lightbug.expiryFormat,
      rotatesRefreshTokens: true,
    },
    lightfi: {
      url: lightfi.url,
      authUrl: lightfi.authUrl,
      authorizeUrl: `${lightfi.authUrl}/oauth2/authorize`,
      tokenUrl: `${lightfi.authUrl}/oauth2/token`,
      clients: config.lightfi.clients.map((client) => ({
        ...client,
        clientSecret: client.clientSecret ?? null,
      })),
      users: config.lightfi.users,
    },
  };
}

/** What {@link describeRunning} returns: the `--json` output and the control endpoint's `GET /`. */
export type RunningDescription = ReturnType<typeof describeRunning>;

/** The text the CLI prints without `--json`: the same facts, for a person. */
export function describeAsText(description: RunningDescription): string {
  const { light, lightbug, lightfi } = description;
  const lines = [
    `control   ${description.control.url}  (GET / for this as JSON; POST /clock/advance, /faults, GET /requests, POST /reset)`,
    `clock     ${new Date(description.clock.now).toISOString()}${description.clock.frozen ? ' (frozen)' : ''}`,
    '',
    `Light     ${light.url}  (files host ${light.filesUrl})`,
    `  authorize ${light.authorizeUrl}   token ${light.tokenUrl}`,
    ...light.clients.map(
      (client) =>
        `  client    ${client.clientId} / ${client.clientSecret}  redirect URIs: ${client.redirectUris.join(', ')}`,
    ),
    `  API keys  ${light.apiKeys.join(', ')}  (Authorization: Basic <key>)`,
    `  tokens    access ${light.accessTokenTtlSeconds} s, refresh ${light.refreshTokenTtlSeconds === null ? 'never expires' : `${light.refreshTokenTtlSeconds} s`}, rotated on every refresh`,
    '',
    `Lightbug  ${lightbug.url}`,
    ...lightbug.users.map(
      (user) => `  user      ${user.username} / ${user.password}  (id ${user.id}, ${user.email})`,
    ),
    `  tokens    access ${lightbug.accessTokenTtlSeconds} s, v1 ${lightbug.v1TokenTtlSeconds} s, refresh tokens rotated, expiry as ${lightbug.expiryFormat}`,
    '',
    `LightFi   ${lightfi.url}  (Cognito domain ${lightfi.authUrl})`,
    `  authorize ${lightfi.authorizeUrl}   token ${lightfi.tokenUrl}`,
    ...lightfi.clients.map(
      (client) =>
        `  client    ${client.clientId} / ${client.clientSecret ?? '(public, PKCE)'}  callbacks: ${client.callbackUrls.join(', ')}\n` +
        `            access ${client.accessTokenTtl} s, refresh ${client.refreshTokenTtl} s, rotation ${client.rotateRefreshTokens ? 'on' : 'off'}, flows ${client.allowedOAuthFlows.join(', ')}`,
    ),
    ...lightfi.users.map((user) => `  user      ${user.username} / ${user.password}  (sub ${user.sub})`),
  ];
  return `${lines.join('\n')}\n`;
}
