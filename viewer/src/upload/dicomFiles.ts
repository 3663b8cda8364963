// What the user dropped → the files worth uploading. Folders arrive as File lists; .zip archives are
// unpacked in the browser (fflate). A DICOM Part 10 file has "DICM" at offset 128; anything else is
// reported and skipped rather than sent and refused one by one.
import { unzip } from 'fflate';

export interface Candidate {
  /** Path as the user knows it (folder-relative or inside the zip). */
  name: string;
  size: number;
  data: Blob;
}

export interface Sorted {
  dicom: Candidate[];
  skipped: Array<{ name: string; reason: 'not-dicom' | 'empty' | 'bad-zip' }>;
}

export function hasDicmMagic(head: Uint8Array): boolean {
  return (
    head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d
  );
}

export function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

function unzipAsync(bytes: Uint8Array): Promise<Record<string, Uint8Array>> {
  return new Promise((resolve, reject) => unzip(bytes, (err, files) => (err ? reject(err) : resolve(files))));
}

async function headOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, 132).arrayBuffer());
}

/** Expands zips and keeps the DICOM files, in name order (a series then uploads slice by slice). */
export async function sortFiles(files: Array<{ name: string; blob: Blob }>): Promise<Sorted> {
  const out: Sorted = { dicom: [], skipped: [] };
  for (const { name, blob } of files) {
    if (isZipName(name)) {
      let entries: Record<string, Uint8Array>;
      try {
        entries = await unzipAsync(new Uint8Array(await blob.arrayBuffer()));
      } catch {
        out.skipped.push({ name, reason: 'bad-zip' });
        continue;
      }
      for (const [entry, bytes] of Object.entries(entries)) {
        if (entry.endsWith('/')) continue; // directory entry
        const inner = `${name}/${entry}`;
        if (bytes.length === 0) out.skipped.push({ name: inner, reason: 'empty' });
        else if (!hasDicmMagic(bytes.subarray(0, 132)))
          out.skipped.push({ name: inner, reason: 'not-dicom' });
        else out.dicom.push({ name: inner, size: bytes.length, data: new Blob([bytes as BlobPart]) });
      }
      continue;
    }
    if (blob.size === 0) out.skipped.push({ name, reason: 'empty' });
    else if (!hasDicmMagic(await headOf(blob))) out.skipped.push({ name, reason: 'not-dicom' });
    else out.dicom.push({ name, size: blob.size, data: blob });
  }
  out.dicom.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return out;
}
