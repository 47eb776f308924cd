import { describe, expect, it } from 'vitest';
import { ignoredVendorVariables, optionsFromEnvironment } from '../src/config.js';

describe('optionsFromEnvironment', () => {
  it('defaults to port 3000 with the emulators', () => {
    expect(optionsFromEnvironment({}, '/data')).toMatchObject({
      port: 3000,
      emulators: true,
      dataDir: '/data',
    });
  });

  it('reads PORT, PLAYGROUND_EMULATORS, PLAYGROUND_DATA_DIR and the vendor variables', () => {
    const options = optionsFromEnvironment(
      {
        PORT: '0',
        PLAYGROUND_EMULATORS: '0',
        PLAYGROUND_DATA_DIR: '/var/tmp/pg',
        LIGHT_CLIENT_ID: 'id',
        LIGHT_CLIENT_SECRET: 'secret',
        LIGHTBUG_BASE_URL: 'https://api.lightbug.cloud',
        LIGHTFI_REDIRECT_URI: 'http://localhost:3000/',
        LIGHTFI_CLIENT_ID: '  ',
      },
      '/data',
    );
    expect(options).toMatchObject({ port: 0, emulators: false, dataDir: '/var/tmp/pg' });
    expect(options.vendors?.light).toMatchObject({
      clientId: 'id',
      clientSecret: 'secret',
      baseUrl: undefined,
    });
    expect(options.vendors?.lightbug?.baseUrl).toBe('https://api.lightbug.cloud');
    expect(options.vendors?.lightfi).toMatchObject({
      redirectUri: 'http://localhost:3000/',
      clientId: undefined,
    });
  });

  it('refuses a bad PORT', () => {
    expect(() => optionsFromEnvironment({ PORT: 'http' }, '/data')).toThrow('PORT must be a port number');
    expect(() => optionsFromEnvironment({ PORT: '70000' }, '/data')).toThrow('PORT must be a port number');
  });

  it('names the vendor variables the emulators make pointless', () => {
    expect(ignoredVendorVariables({ LIGHT_CLIENT_ID: 'x', PORT: '1', LIGHTFI_BASE_URL: '' })).toEqual([
      'LIGHT_CLIENT_ID',
    ]);
  });
});
