import { ConfigError } from '@auth/core';
import { isSecureUrl } from '@auth/core/adapter';

const toHttp: Record<string, string> = {
  'ws:': 'http:',
  'wss:': 'https:',
  'http:': 'http:',
  'https:': 'https:',
};
const toWs: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:' };

/**
 * The websocket URL for `target` (a path resolved against the API's base URL, or an absolute `ws(s):`/`http(s):`
 * URL on the API's host) with the token as the `authorization` query parameter, as Lightbug's websockets expect.
 * Refuses other hosts and plain `ws:` to non-loopback hosts, so the token never goes where it does not belong.
 */
export function websocketUrlFor(base: URL, target: string | URL, token: string): string {
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    throw new ConfigError([{ option: 'url', message: 'must be a path or an absolute URL' }]);
  }
  const httpProtocol = toHttp[url.protocol];
  if (httpProtocol === undefined) {
    throw new ConfigError([
      { option: 'url', message: `must be a ws:, wss:, http: or https: URL (got ${url.protocol})` },
    ]);
  }
  const asHttp = new URL(url);
  asHttp.protocol = httpProtocol;
  if (!isSecureUrl(asHttp)) {
    throw new ConfigError([
      { option: 'url', message: `refusing to send the token over plain ws: to ${url.host}: use wss:` },
    ]);
  }
  if (asHttp.origin !== base.origin) {
    throw new ConfigError([
      { option: 'url', message: `${asHttp.host} is not the API's host, so the token is not sent there` },
    ]);
  }
  const ws = new URL(asHttp);
  ws.protocol = toWs[httpProtocol] as string;
  ws.searchParams.set('authorization', token);
  return ws.toString();
}
