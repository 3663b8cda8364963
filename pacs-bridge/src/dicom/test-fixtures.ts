// Test support: the DICOM fixtures under test/fixtures/dicom with their MANIFEST.tsv rows. Malformed
// files are the ones the manifest marks MALFORMED; everything else must be accepted.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

export interface DicomFixture {
  /** Path relative to test/fixtures, e.g. `dicom/ct/CT_small.dcm`. */
  path: string;
  bytes: Buffer;
  malformed: boolean;
  sopClassUid?: string;
  transferSyntaxUid?: string;
  notes: string;
}

function manifest(): Map<string, Record<string, string>> {
  const lines = readFileSync(join(FIXTURES_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const header = lines[0]!.split('\t');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    rows.set(row.path!, row);
  }
  return rows;
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    })
    .sort();
}

/** Every `.dcm` under test/fixtures/dicom (and the DICOM ECGs when `withEcg`). */
export function dicomFixtures(options: { withEcg?: boolean } = {}): DicomFixture[] {
  const rows = manifest();
  const dirs = ['dicom', ...(options.withEcg ? ['ecg/dicom-waveform'] : [])];
  return dirs.flatMap((d) =>
    walk(join(FIXTURES_DIR, d))
      .filter((p) => p.endsWith('.dcm'))
      .map((abs) => {
        const path = relative(FIXTURES_DIR, abs);
        const row = rows.get(path);
        const uidOf = (cell: string | undefined) => /^[0-9.]+/.exec(cell ?? '')?.[0];
        return {
          path,
          bytes: readFileSync(abs),
          malformed: (row?.notes ?? '').startsWith('MALFORMED'),
          sopClassUid: uidOf(row?.sop_class_uid),
          transferSyntaxUid: uidOf(row?.transfer_syntax_uid),
          notes: row?.notes ?? '',
        };
      }),
  );
}
