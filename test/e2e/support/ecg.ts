// ECG e2e helpers: putting fixture ECGs into the platform (STOW-RS, /api/ecg/import), reading them
// back as JSON, and an independent naive R-peak count to check the viewer's heart rate against.
async function stowOnce(baseUrl: string, token: string, bytes: Buffer) {
  const boundary = `ecg-${Math.random().toString(16).slice(2)}`;
  const res = await fetch(`${baseUrl}/dicomweb/studies`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      accept: 'application/dicom+json',
    },
    body: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
  type Item = Record<string, { Value?: unknown[] }>;
  const ds = (await res.json()) as Record<string, { Value?: Item[] }>;
  const stored = ds['00081199']?.Value?.[0]?.['00081155']?.Value?.[0];
  const failed = ds['00081198']?.Value?.[0];
  return {
    status: res.status,
    sop: typeof stored === 'string' ? stored : undefined,
    failedSop: failed?.['00081155']?.Value?.[0] as string | undefined,
    reason: failed?.['0040A160']?.Value?.[0] as string | undefined,
  };
}

/**
 * The file meta's (0002,0003) replaced by `sop` (explicit VR little endian meta group; the group
 * length (0002,0000) is recomputed). wave_dfl.dcm, a deflate test file, names another instance in its
 * meta than in its dataset; the bridge rightly refuses that, so the test sends it repaired.
 */
function withMetaSop(bytes: Buffer, sop: string): Buffer {
  const metaStart = 132;
  const groupLength = bytes.readUInt32LE(metaStart + 8);
  const metaEnd = metaStart + 12 + groupLength;
  const parts: Buffer[] = [];
  for (let at = metaStart + 12; at < metaEnd;) {
    const element = bytes.readUInt16LE(at + 2);
    const vr = bytes.toString('latin1', at + 4, at + 6);
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT', 'UC', 'UR'].includes(vr);
    const length = long ? bytes.readUInt32LE(at + 8) : bytes.readUInt16LE(at + 6);
    const size = (long ? 12 : 8) + length;
    if (element === 0x0003) {
      const value = Buffer.from(sop.length % 2 ? `${sop}\0` : sop, 'latin1');
      const head = Buffer.alloc(8);
      bytes.copy(head, 0, at, at + 6);
      head.writeUInt16LE(value.length, 6);
      parts.push(head, value);
    } else parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  const elements = Buffer.concat(parts);
  const lengthElement = Buffer.from(bytes.subarray(metaStart, metaStart + 12));
  lengthElement.writeUInt32LE(elements.length, 8);
  return Buffer.concat([bytes.subarray(0, metaStart), lengthElement, elements, bytes.subarray(metaEnd)]);
}

export async function stow(baseUrl: string, token: string, bytes: Buffer): Promise<string> {
  let r = await stowOnce(baseUrl, token, bytes);
  if (!r.sop && r.failedSop && /Media Storage SOP Instance UID/.test(r.reason ?? '')) {
    console.warn(`STOW: repaired the file meta SOP Instance UID (refused as: ${r.reason})`);
    r = await stowOnce(baseUrl, token, withMetaSop(bytes, r.failedSop));
  }
  if (!r.sop) throw new Error(`STOW refused: HTTP ${r.status} ${r.reason}`);
  return r.sop;
}

export async function apiImport(baseUrl: string, token: string, bytes: Buffer) {
  const res = await fetch(`${baseUrl}/api/ecg/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as { sopInstanceUid?: string; reason?: string } };
}

export interface JsonGroup {
  samplingFrequency: number;
  numberOfSamples: number;
  channels: Array<{ lead: string; samples: Array<number | null> }>;
}

export async function ecgJson(baseUrl: string, token: string, sop: string): Promise<{ groups: JsonGroup[] }> {
  const res = await fetch(`${baseUrl}/api/ecg/instances/${sop}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`GET ecg ${sop}: HTTP ${res.status}`);
  return (await res.json()) as { groups: JsonGroup[] };
}

/**
 * R peaks the simple way (not the viewer's detector): lead II minus a 0.6 s moving mean, local
 * extremes beyond half the largest deflection, at least 300 ms apart.
 */
export function naivePeaks(samples: Array<number | null>, fs: number): number[] {
  const x = samples.map((v) => v ?? 0);
  const half = Math.round(0.3 * fs);
  const prefix = [0];
  for (const v of x) prefix.push(prefix[prefix.length - 1]! + v);
  const y = x.map((v, i) => {
    const a = Math.max(0, i - half);
    const b = Math.min(x.length, i + half + 1);
    return v - (prefix[b]! - prefix[a]!) / (b - a);
  });
  const sign = Math.max(...y) >= -Math.min(...y) ? 1 : -1;
  const top = Math.max(...y.map((v) => sign * v));
  const peaks: number[] = [];
  for (let i = 1; i < y.length - 1; i++) {
    const v = sign * y[i]!;
    if (v < 0.5 * top || v < sign * y[i - 1]! || v < sign * y[i + 1]!) continue;
    const last = peaks[peaks.length - 1];
    if (last !== undefined && i - last < 0.3 * fs) {
      if (v > sign * y[last]!) peaks[peaks.length - 1] = i;
    } else peaks.push(i);
  }
  return peaks;
}

export const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
