#!/usr/bin/env node
// `npm run audit:verify -w @telemed/pacs-bridge -- --data-dir <dir>`: exit 0 when the audit chain is
// intact, 1 when it was tampered with (printing where), 2 on bad usage or when there is no log.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { auditDbPath } from './audit-log.js';
import { verifyAudit } from './verify-audit.js';

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

function dataDirFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--data-dir');
  if (i >= 0) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith('--data-dir='));
  return inline?.slice('--data-dir='.length) ?? process.env.TELEMED_DATA_DIR;
}

/** Runs the verification and returns the process exit code. */
export function runAuditVerifyCli(argv: string[], out: CliOutput = console): number {
  const dir = dataDirFromArgs(argv);
  if (!dir) {
    out.error('usage: audit:verify --data-dir <dir>   (or set TELEMED_DATA_DIR)');
    return 2;
  }
  if (!existsSync(auditDbPath(resolve(dir)))) {
    out.error(`no audit log in ${resolve(dir)} (is --data-dir the bridge's TELEMED_DATA_DIR?)`);
    return 2;
  }
  const result = verifyAudit(resolve(dir));
  if (result.ok) {
    out.log(`audit log OK: ${result.entries} entries, head ${result.headHash.slice(0, 16)}…`);
    return 0;
  }
  out.error(
    `audit log TAMPERED: ${result.problem}${result.seq !== undefined ? ` (at seq ${result.seq})` : ''}`,
  );
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exit(runAuditVerifyCli(process.argv.slice(2)));
}
