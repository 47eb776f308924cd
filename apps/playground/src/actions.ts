/**
 * Every button of the playground, by name. The code panel shows the SDK call behind each one, and the log words
 * SDK events by the action that caused them.
 */
export const ACTION_NAMES = [
  'oauth',
  'callback',
  'api-key',
  'login',
  'call',
  'redirect',
  'expire',
  'refresh',
  'sign-out',
] as const;

export type ActionName = (typeof ACTION_NAMES)[number];

/** The buttons every signed-in vendor page has. */
export type CommonActionName = Extract<ActionName, 'call' | 'expire' | 'refresh' | 'sign-out'>;

export function isCommonAction(value: string): value is CommonActionName {
  return value === 'call' || value === 'expire' || value === 'refresh' || value === 'sign-out';
}
