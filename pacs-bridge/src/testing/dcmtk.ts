// Runs Debian's dcmtk command-line clients (echoscu, storescu, findscu) the way a clinic's
// modality would talk to us, and reads their verdicts. Output is parsed, never printed: findscu
// answers contain patient names.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileMeta } from '../dicom/file-meta.js';

export const DCMTK_BIN = process.env.DCMTK_BIN ?? '/usr/bin';

export interface DcmtkPeer {
  host: string;
  port: number;
  calledAe: string;
  callingAe: string;
}

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function assertDcmtkInstalled(): void {
  for (const tool of ['echoscu', 'storescu', 'findscu', 'dcmdump']) {
    if (!existsSync(join(DCMTK_BIN, tool))) {
      throw new Error(
        `${join(DCMTK_BIN, tool)} not found: run \`bash infra/setup-system.sh test\` (installs dcmtk)`,
      );
    }
  }
}

export function runTool(tool: string, args: string[], timeoutMs = 60_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      join(DCMTK_BIN, tool),
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

const peerArgs = (p: DcmtkPeer): string[] => [
  '-aet',
  p.callingAe,
  '-aec',
  p.calledAe,
  p.host,
  String(p.port),
];

export async function echoscu(peer: DcmtkPeer): Promise<{ ok: boolean; run: ToolRun }> {
  const run = await runTool('echoscu', ['-v', ...peerArgs(peer)]);
  return { ok: run.code === 0 && /Received Echo Response \(Success\)/.test(run.stdout + run.stderr), run };
}

export interface StorescuResult {
  /** 'sent': the SCP answered; 'not-sent': storescu itself refused the file (it cannot read it). */
  outcome: 'sent' | 'not-sent' | 'rejected';
  /** DIMSE status the SCP answered, when sent. */
  status?: number;
  run: ToolRun;
}

/**
 * Sends one file. With `ownSyntax`, storescu proposes exactly the file's SOP class and transfer
 * syntax (a generated association profile, -xf) so the dataset goes unconverted, as a modality
 * sending compressed images would; otherwise storescu's default (uncompressed syntaxes only, it
 * decompresses what it can and fails on the rest).
 */
export async function storescu(
  peer: DcmtkPeer,
  file: string,
  opts: { ownSyntax?: boolean } = {},
): Promise<StorescuResult> {
  const dir = await mkdtemp(join(tmpdir(), 'telemed-storescu-'));
  try {
    const profile = opts.ownSyntax ? await ownSyntaxProfile(file, dir) : [];
    const run = await runTool('storescu', ['-d', '-nh', ...profile, ...peerArgs(peer), file]);
    const out = run.stdout + run.stderr;
    if (/Association Rejected/i.test(out)) return { outcome: 'rejected', run };
    const response = out.indexOf('Received Store Response');
    const status = response >= 0 ? /DIMSE Status\s*:\s*0x([0-9a-f]{4})/i.exec(out.slice(response)) : null;
    if (!status) return { outcome: 'not-sent', run };
    return { outcome: 'sent', status: parseInt(status[1]!, 16), run };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** storescu -xf arguments proposing only the file's own SOP class + transfer syntax, if readable. */
async function ownSyntaxProfile(file: string, dir: string): Promise<string[]> {
  const meta = readFileMeta(await readFile(file));
  if (!meta.ok || !meta.meta.transferSyntaxUid || !meta.meta.mediaStorageSopClassUid) return [];
  const cfg = join(dir, 'own.cfg');
  await writeFile(
    cfg,
    [
      '[[TransferSyntaxes]]',
      '[Own]',
      `TransferSyntax1 = ${meta.meta.transferSyntaxUid}`,
      '[[PresentationContexts]]',
      '[Ctx]',
      `PresentationContext1 = ${meta.meta.mediaStorageSopClassUid}\\Own`,
      '[[Profiles]]',
      '[Own]',
      'PresentationContexts = Ctx',
      '',
    ].join('\n'),
  );
  return ['-xf', cfg, 'Own'];
}

export interface FindscuResult {
  ok: boolean;
  /** Each match as keyword → value (dcmtk's rendering: multi-values joined by '\'). */
  matches: Array<Record<string, string>>;
  run: ToolRun;
}

/**
 * C-FIND. `keys` are findscu -k arguments such as 'QueryRetrieveLevel=STUDY' or 'PatientName'
 * (a return key). Responses are extracted to files (-X) and read back with dcmdump, so values
 * arrive exactly as the SCP encoded them.
 */
export async function findscu(
  peer: DcmtkPeer,
  keys: string[],
  model: 'study' | 'patient' = 'study',
): Promise<FindscuResult> {
  const dir = await mkdtemp(join(tmpdir(), 'telemed-findscu-'));
  try {
    const args = [
      '-v',
      model === 'study' ? '-S' : '-P',
      '-X',
      '-od',
      dir,
      ...keys.flatMap((k) => ['-k', k]),
      ...peerArgs(peer),
    ];
    const run = await runTool('findscu', args);
    const files = (await readdir(dir)).filter((f) => f.startsWith('rsp')).sort();
    const matches: Array<Record<string, string>> = [];
    for (const f of files) {
      const dump = await runTool('dcmdump', ['-q', '+L', join(dir, f)]);
      matches.push(parseDump(dump.stdout || (await readFile(join(dir, f))).toString('latin1')));
    }
    return { ok: run.code === 0, matches, run };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** dcmdump lines: `(0010,0010) PN [DOE^JOHN]   #  8, 1 PatientName` → { PatientName: 'DOE^JOHN' }. */
export function parseDump(dump: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of dump.split('\n')) {
    const m =
      /^\s*\([0-9a-f]{4},[0-9a-f]{4}\)\s+\w\w\s+(?:\[(.*?)\]|(\(no value available\))|(\S+))\s+#.*?\s(\w+)\s*$/i.exec(
        line,
      );
    if (m) out[m[4]!] = m[1] ?? m[3] ?? '';
  }
  return out;
}
