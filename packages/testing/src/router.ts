import type { Handler } from './reply.js';

/**
 * The parameters of `path` if it matches `pattern` (`/v1/files/:id`), else undefined. Segments are compared
 * exactly, so a trailing slash matters, as it does on the vendors' servers.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const wanted = pattern.split('/');
  const actual = path.split('/');
  if (wanted.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i += 1) {
    const segment = wanted[i] ?? '';
    const value = actual[i] ?? '';
    if (segment.startsWith(':')) {
      if (value === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}

/** What the router found for a request. */
export type RouteResolution =
  | { kind: 'found'; handler: Handler; params: Record<string, string>; pattern: string }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

/** A method-and-path table of handlers. */
export class Router {
  readonly #routes: Route[] = [];

  /** Registers `handler` for `method` requests whose path matches `pattern`. */
  add(method: string, pattern: string, handler: Handler): this {
    this.#routes.push({ method: method.toUpperCase(), pattern, handler });
    return this;
  }

  /** Finds the handler of a request, or says why there is none. */
  resolve(method: string, path: string): RouteResolution {
    const allow: string[] = [];
    for (const route of this.#routes) {
      const params = matchPath(route.pattern, path);
      if (params === undefined) continue;
      if (route.method === method)
        return { kind: 'found', handler: route.handler, params, pattern: route.pattern };
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
  }
}
