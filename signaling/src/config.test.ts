import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, configFromEnv, defaultConfig } from './config.js';
import { startPlatform } from './index.js';
import { FakeSfu } from './testing/fake-sfu.js';

const SECRET = 'a-production-secret-that-is-long-enough-1234';

describe('configFromEnv', () => {
  it('has the documented defaults', () => {
    const c = defaultConfig();
    expect(c).toMatchObject({
      production: false,
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('./var'),
      jwtSecret: DEV_JWT_SECRET,
      accessTtlS: 900,
      refreshTtlS: 7 * 24 * 3600,
      demoAccounts: true,
      demoPassword: 'telemed-demo',
      redisUrl: undefined,
      iceServers: [],
      logLevel: 'info',
      reconnectGraceMs: 15_000,
    });
  });

  it('reads every variable', () => {
    const c = configFromEnv({
      PORT: '9000',
      HOST: '127.0.0.1',
      TELEMED_DATA_DIR: '/tmp/x',
      TELEMED_JWT_SECRET: SECRET,
      TELEMED_ACCESS_TTL_S: '60',
      TELEMED_DEMO_PASSWORD: 'another-password',
      TELEMED_DEMO_ACCOUNTS: 'false',
      REDIS_URL: 'redis://127.0.0.1:6379',
      TELEMED_ICE_SERVERS: '[{"urls":"turn:turn.example.org:3478","username":"u","credential":"c"}]',
      LOG_LEVEL: 'warn',
      TELEMED_RECONNECT_GRACE_MS: '2000',
    });
    expect(c).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      dataDir: '/tmp/x',
      jwtSecret: SECRET,
      accessTtlS: 60,
      demoPassword: 'another-password',
      demoAccounts: false,
      redisUrl: 'redis://127.0.0.1:6379',
      iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' }],
      logLevel: 'warn',
      reconnectGraceMs: 2000,
    });
  });

  it('treats empty variables as unset', () => {
    expect(configFromEnv({ PORT: '', REDIS_URL: '' })).toMatchObject({ port: 8080, redisUrl: undefined });
  });

  it('names every bad variable', () => {
    const attempt = () =>
      configFromEnv({
        PORT: 'eighty',
        TELEMED_ICE_SERVERS: '{nope',
        LOG_LEVEL: 'loud',
        TELEMED_JWT_SECRET: 'short',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['PORT', 'TELEMED_ICE_SERVERS', 'LOG_LEVEL', 'TELEMED_JWT_SECRET'])
        expect(message).toContain(name);
    }
  });

  it('refuses ICE servers of the wrong shape', () => {
    expect(() => configFromEnv({ TELEMED_ICE_SERVERS: '[{"url":"stun:x"}]' })).toThrow(/TELEMED_ICE_SERVERS/);
  });
});

describe('production guard', () => {
  it('refuses the development JWT secret', () => {
    expect(() => configFromEnv({ NODE_ENV: 'production' })).toThrow(
      /TELEMED_JWT_SECRET is the development secret/,
    );
  });

  it('refuses demo accounts', () => {
    expect(() =>
      configFromEnv({ NODE_ENV: 'production', TELEMED_JWT_SECRET: SECRET, TELEMED_DEMO_ACCOUNTS: 'true' }),
    ).toThrow(/TELEMED_DEMO_ACCOUNTS/);
  });

  it('starts without demo accounts and with a real secret', () => {
    const c = configFromEnv({ NODE_ENV: 'production', TELEMED_JWT_SECRET: SECRET });
    expect(c).toMatchObject({ production: true, demoAccounts: false });
  });

  it('is enforced by startPlatform too, before anything is opened', async () => {
    await expect(
      startPlatform({ production: true, sfu: new FakeSfu(), dataDir: '/nonexistent/never-created' }),
    ).rejects.toThrow(/NODE_ENV=production/);
    await expect(
      startPlatform({
        production: true,
        jwtSecret: SECRET,
        demoAccounts: true,
        sfu: new FakeSfu(),
        dataDir: '/nonexistent/x',
      }),
    ).rejects.toThrow(/TELEMED_DEMO_ACCOUNTS/);
  });
});
