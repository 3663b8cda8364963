#!/usr/bin/env node
// `npm start`: configuration from the environment, then the platform. Prints where to go and the
// demo accounts; stops cleanly on SIGINT/SIGTERM.
/* eslint-disable no-console -- this is the command-line entry: the console is its interface */
import { DEMO_ACCOUNTS, DEMO_INSTITUTIONS } from './accounts/demo-accounts.js';
import { ConfigError, configFromEnv } from './config.js';
import { createLogger } from './logger.js';
import { startPlatform, type Platform } from './index.js';

function printBanner(platform: Platform): void {
  const { config } = platform;
  console.log('');
  console.log(`  Telemed is running: open ${platform.url}/`);
  if (config.demoAccounts) {
    const institution = (id: string) => DEMO_INSTITUTIONS.find((i) => i.id === id)?.name ?? id;
    const rows = DEMO_ACCOUNTS.map((a) => [a.username, a.displayName, a.role, institution(a.institutionId)]);
    const header = ['user', 'name', 'role', 'institution'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `    ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`;
    console.log('');
    console.log(`  Demo accounts (password: ${config.demoPassword}):`);
    console.log(line(header));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) console.log(line(r));
  }
  console.log('');
}

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const platform = await startPlatform({ ...config, logger });
  printBanner(platform);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the user does not want to wait.
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    platform.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('Telemed failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
