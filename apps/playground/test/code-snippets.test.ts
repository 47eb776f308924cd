import { Secret } from '@auth/core';
import * as lightExports from '@auth/light';
import { createLightAuth } from '@auth/light';
import { createLightbugAuth } from '@auth/lightbug';
import { createLightFiAuth } from '@auth/lightfi';
import { describe, expect, it } from 'vitest';
import { codeSnippets, type SnippetContext } from '../src/code-snippets.js';
import { signedOutView, tokenSetView } from '../src/token-view.js';
import type { VendorId } from '../src/vendor-id.js';

const signedIn = tokenSetView(
  { accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', tokenType: 'bearer', refreshToken: 'r', expiresAt: 1 },
  { method: 'OAuth', scheme: 'Bearer', refreshes: 0, lastRefresh: undefined },
);
const target = { emulator: true, apiUrl: 'http://127.0.0.1:1', authUrl: 'http://127.0.0.1:2' };

function all(vendor: VendorId): string {
  const context = (view: SnippetContext['view']): SnippetContext => ({
    vendor,
    target,
    view,
    redirectUri: 'http://localhost:3000/callback',
    lastAction: undefined,
  });
  return [...codeSnippets(context(signedOutView(0))), ...codeSnippets(context(signedIn))]
    .map((snippet) => `${snippet.code}\n${snippet.curl ?? ''}`)
    .join('\n');
}

/** `light.refresh(` -> `refresh`: every method the snippets call on the client. */
function calledMethods(code: string, client: string): string[] {
  return [...new Set([...code.matchAll(new RegExp(`\\b${client}\\.(\\w+)\\(`, 'g'))].map((m) => m[1] ?? ''))];
}

describe('the code panel', () => {
  it('calls only methods the SDK clients have', () => {
    const clients = {
      light: createLightAuth({
        baseUrl: target.apiUrl,
        clientId: 'c',
        clientSecret: new Secret('s'),
        redirectUri: 'http://localhost:3000/callback/light',
      }),
      lightbug: createLightbugAuth({ baseUrl: target.apiUrl }),
      lightfi: createLightFiAuth({
        authDomain: target.authUrl,
        baseUrl: target.apiUrl,
        clientId: 'c',
        clientSecret: new Secret('s'),
        redirectUri: 'http://localhost:3000/callback/lightfi',
        callbackUrls: ['http://localhost:3000/callback/lightfi'],
      }),
    };
    for (const [vendor, client] of Object.entries(clients) as Array<[VendorId, object]>) {
      const methods = calledMethods(all(vendor), vendor);
      expect(methods.length).toBeGreaterThanOrEqual(5);
      for (const method of methods)
        expect({ vendor, method, type: typeof (client as Record<string, unknown>)[method] }).toEqual({
          vendor,
          method,
          type: 'function',
        });
    }
    // Light's resource helpers are functions of the package, called with the client.
    expect(typeof lightExports.getCurrentCompany).toBe('function');
    expect(all('light')).toContain('getCurrentCompany(light)');
  });

  it('shows the sign-in calls while signed out and the session calls once signed in', () => {
    const actions = (view: SnippetContext['view'], lastAction?: SnippetContext['lastAction']) =>
      codeSnippets({ vendor: 'lightfi', target, view, redirectUri: undefined, lastAction }).map(
        (s) => s.action,
      );
    expect(actions(signedOutView(0))).toEqual(['setup', 'oauth', 'callback']);
    expect(actions(signedIn)).toEqual(['setup', 'call', 'expire', 'refresh', 'sign-out']);
    expect(actions(signedIn, 'callback')).toEqual([
      'setup',
      'callback',
      'call',
      'expire',
      'refresh',
      'sign-out',
    ]);
  });

  it('leaves the token out of the curl', () => {
    const call = codeSnippets({
      vendor: 'lightbug',
      target,
      view: signedIn,
      redirectUri: undefined,
      lastAction: 'call',
    }).find((snippet) => snippet.action === 'call');
    expect(call?.curl).toBe(
      [
        '# ACCESS_TOKEN: eyJh… (redacted, it stays on the server)',
        "curl -sS 'http://127.0.0.1:1/v2/devices' \\",
        '  -H "Authorization: $ACCESS_TOKEN"',
      ].join('\n'),
    );
  });
});
