import { describe, expect, it } from 'vitest';
import { AuthEvents } from '../src/events.js';
import { createAuth, createTokenManager } from '../src/index.js';

describe('AuthEvents', () => {
  it('reports a throwing listener as a listener-error event; the emit and the other listeners go on', async () => {
    const events = new AuthEvents();
    const reached: string[] = [];
    const reported: Array<{ event: string; message: string }> = [];
    events.on('warning', () => {
      throw new Error('listener bug');
    });
    events.on('warning', async () => {
      reached.push('second');
    });
    events.on('listener-error', ({ event, error }) => {
      reported.push({ event, message: (error as Error).message });
    });
    await events.emit('warning', { key: 'k', code: 'X', message: 'm' });
    // The fail-on-unhandled setup fails this test if anything was thrown at the process meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reached).toEqual(['second']);
    expect(reported).toEqual([{ event: 'warning', message: 'listener bug' }]);
  });

  it('never throws at the process: not without a listener-error listener, not when that listener throws', async () => {
    const events = new AuthEvents();
    events.on('retry', () => Promise.reject(new Error('async listener bug')));
    await events.emit('retry', { key: 'k', reason: 'unauthorized', url: 'https://a.test/', attempt: 1 });
    events.on('listener-error', () => {
      throw new Error('the reporter fails too');
    });
    await events.emit('retry', { key: 'k', reason: 'unauthorized', url: 'https://a.test/', attempt: 2 });
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

describe('Auth', () => {
  it('exposes no token manager: tests and users go through the Auth itself', () => {
    const auth = createAuth({
      baseUrl: 'https://api.acme.test',
      tokens: createTokenManager({ storeKey: 'k' }),
    });
    expect('manager' in auth).toBe(false);
    const fixed = createAuth({
      baseUrl: 'https://api.acme.test',
      credential: { value: 'k3y-value', scheme: 'raw' },
    });
    expect('manager' in fixed).toBe(false);
  });
});
