import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulators } from '@auth/testing';
import { type Playground, startPlayground } from '../../src/playground.js';

export interface TestPlayground extends Playground {
  readonly dataDir: string;
}

/** A playground with its emulators on random ports and a data directory of its own. */
export async function startTestPlayground(): Promise<TestPlayground & { stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'playground-test-'));
  const playground = await startPlayground({ port: 0, dataDir, log: () => undefined });
  return {
    ...playground,
    dataDir,
    close: () => playground.close(),
    stop: async () => {
      await playground.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RecordedResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * A minimal browser for the HTTP tests: one cookie jar, redirects followed by hand (so each hop's body is seen),
 * and every body the playground answered kept for scanning.
 */
export class HttpBrowser {
  readonly #origin: string;
  readonly #cookies = new Map<string, string>();
  /** Every response of the playground (not of the emulators), in order. */
  readonly responses: RecordedResponse[] = [];

  constructor(origin: string) {
    this.#origin = origin;
  }

  get cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** One request, no redirect following. Cookies are kept only for the playground's origin. */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<RecordedResponse> {
    const target = new URL(url, this.#origin);
    const ours = target.origin === this.#origin;
    const headers: Record<string, string> = {};
    if (ours && this.#cookies.size > 0) headers['cookie'] = this.cookieHeader;
    let body: string | undefined;
    if (init.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      // A browser's form post from a page of the same site.
      if (ours) headers['origin'] = this.#origin;
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(target, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    if (ours) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...value] = (pair ?? '').split('=');
        if (name !== undefined) this.#cookies.set(name.trim(), value.join('='));
      }
    }
    const recorded = { url: target.href, status: res.status, headers: res.headers, body: await res.text() };
    if (ours) this.responses.push(recorded);
    return recorded;
  }

  /** Follows redirects like a browser (POST becomes GET after 302/303). */
  async follow(url: string, init: { form?: Record<string, string> } = {}): Promise<RecordedResponse> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get('location');
      if (location === null) break;
      response = await this.request(new URL(location, response.url).href);
    }
    return response;
  }

  /** Reads a Server-Sent Events stream for a while, recording what arrived as one body. */
  async readEvents(path: string, options: { minEvents: number; timeoutMs?: number }): Promise<string> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 2000);
    let text = '';
    try {
      const res = await fetch(new URL(path, this.#origin), {
        headers: { cookie: this.cookieHeader },
        signal: controller.signal,
      });
      const reader = res.body?.getReader();
      const decoder = new TextDecoder();
      while (reader !== undefined) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if ((text.match(/^event: log$/gm) ?? []).length >= options.minEvents) break;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    this.responses.push({ url: path, status: 200, headers: new Headers(), body: text });
    return text;
  }
}

/** The value of a hidden form field in an emulator page. */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(page);
  if (match?.[1] === undefined) throw new Error(`no hidden field ${name}`);
  return match[1];
}

/** Where the playground sent the browser to sign in, and the page it ended on. */
export interface SignIn {
  readonly authorize: URL;
  readonly page: RecordedResponse;
}

/** Light's OAuth flow as a browser runs it: the consent page approved, back through the callback. */
export async function signInToLight(browser: HttpBrowser, emulators: Emulators): Promise<SignIn> {
  const start = await browser.request('/light/oauth', { form: {} });
  const authorize = new URL(start.headers.get('location') ?? '');
  const consent = await browser.request(authorize.href);
  const decision = await browser.request(`${emulators.light.url}/oauth/authorize/decision`, {
    form: { consent: hiddenField(consent.body, 'consent'), decision: 'approve' },
  });
  return { authorize, page: await browser.follow(decision.headers.get('location') ?? '') };
}

/** LightFi's flow as a browser runs it: the hosted sign-in form filled in, back through the callback. */
export async function signInToLightFi(browser: HttpBrowser, emulators: Emulators): Promise<SignIn> {
  const start = await browser.request('/lightfi/oauth', { form: {} });
  const authorize = new URL(start.headers.get('location') ?? '');
  const signInPage = await browser.request(authorize.href);
  const login = await browser.request(`${emulators.lightfi.authUrl}/login`, {
    form: {
      request: hiddenField(signInPage.body, 'request'),
      username: 'demo',
      password: 'demo-password',
      action: 'signin',
    },
  });
  return { authorize, page: await browser.follow(login.headers.get('location') ?? '') };
}
