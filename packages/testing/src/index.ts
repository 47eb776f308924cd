export { type ClockOptions, createClock, type EmulatorClock } from './clock.js';
export type { Emulator, EmulatorOptions } from './emulator.js';
export type { Fault, FaultInjector, FaultKind, InjectedFault, InjectOptions } from './fault-injection.js';
export { decodeJwt, type JwtClaims } from './jwt.js';
export type { LightClient, LightGrantType, LightTokenErrorStyle } from './light-context.js';
export type { LightCompany, LightUser } from './light-data.js';
export {
  DEFAULT_LIGHT_CLIENT,
  type LightEmulator,
  type LightEmulatorOptions,
  startLightEmulator,
} from './light-emulator.js';
export type {
  LightbugExpiryFormat,
  LightbugGrantType,
  LightbugPersonalAccessToken,
} from './lightbug-context.js';
export { DEFAULT_LIGHTBUG_USER, type LightbugDevice, type LightbugUser } from './lightbug-data.js';
export {
  type LightbugEmulator,
  type LightbugEmulatorOptions,
  startLightbugEmulator,
} from './lightbug-emulator.js';
export type {
  LightFiClient,
  LightFiClientOptions,
  LightFiGrantType,
  LightFiOAuthFlow,
} from './lightfi-context.js';
export {
  DEFAULT_LIGHTFI_USER,
  type LightFiLocation,
  type LightFiSensor,
  type LightFiUser,
} from './lightfi-data.js';
export {
  DEFAULT_LIGHTFI_CALLBACK_URLS,
  DEFAULT_LIGHTFI_CLIENT,
  type LightFiEmulator,
  type LightFiEmulatorOptions,
  startLightFiEmulator,
} from './lightfi-emulator.js';
export type { LightFiAuthorizeRequest } from './lightfi-sign-in.js';
export { pkceChallenge } from './pkce.js';
export type { RecordedRequest, RequestLog, RequestMatcher } from './request-log.js';
export { type Emulators, type StartEmulatorsOptions, startEmulators } from './start-emulators.js';
export type { TokenFamilySnapshot, TokenInspector } from './token-ledger.js';
