#!/usr/bin/env node
// `npm run audit:verify -w @telemed/pacs-bridge -- --data-dir <dir>`: exit 0 when the audit chain is
// intact, 1 when it was tampered with (printing where), 2 on bad usage.
import { resolve } from 'node:path';
import { verifyAudit } from './verify-audit.js';

function dataDirFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--data-dir');
  if (i >= 0) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith('--data-dir='));
  return inline?.slice('--data-dir='.length) ?? process.env.TELEMED_DATA_DIR;
}

const dir = dataDirFromArgs(process.argv.slice(2));
if (!dir) {
  console.error('usage: audit:verify --data-dir <dir>   (or set TELEMED_DATA_DIR)');
  process.exit(2);
}
const result = verifyAudit(resolve(dir));
if (result.ok) {
  console.log(`audit log OK: ${result.entries} entries, head ${result.headHash.slice(0, 16)}…`);
  process.exit(0);
}
console.error(`audit log TAMPERED: ${result.problem}${result.seq !== undefined ? ` (at seq ${result.seq})` : ''}`);
process.exit(1);
