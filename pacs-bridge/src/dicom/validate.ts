// Validation of one Part 10 file for ingest: parse, check file meta against the dataset, check UIDs
// and pixel data, and extract the index record. Never throws — every path into the bridge (STOW-RS,
// C-STORE, browser upload) relies on getting a reason back instead of an exception.
import { createHash } from 'node:crypto';
import type { InstanceRecord, Validation } from '../api.js';
import { parsePart10, type Part10 } from './part10.js';
import { pixelDataProblem, readImagePixel, type ImagePixel } from './pixel-data.js';
import { uidProblem } from './uids.js';
import { decodedString, decoderFor, firstString, integerString } from './values.js';

export interface InspectedInstance {
  file: Part10;
  pixel: ImagePixel | undefined;
  record: Omit<InstanceRecord, 'institutionId'>;
}

export type Inspection = { ok: true; instance: InspectedInstance } | Extract<Validation, { ok: false }>;

/** Validates a Part 10 file and returns the index record (the ingest contract). */
export function validatePart10(bytes: Uint8Array): Validation {
  const inspected = inspectPart10(bytes);
  return inspected.ok ? { ok: true, record: inspected.instance.record } : inspected;
}

/** Validation plus the parsed file, for callers that go on to read pixel data or build JSON. */
export function inspectPart10(bytes: Uint8Array): Inspection {
  try {
    return inspect(bytes);
  } catch (err) {
    // Defence in depth: a bug in a check must still be a rejection, never a crash of the ingest path.
    return {
      ok: false,
      reason: `the file cannot be read (${err instanceof Error ? err.message : String(err)})`,
    };
  }
}

const UID_TAGS = [
  ['SOP Class UID (0008,0016)', 'x00080016'],
  ['SOP Instance UID (0008,0018)', 'x00080018'],
  ['Study Instance UID (0020,000D)', 'x0020000d'],
  ['Series Instance UID (0020,000E)', 'x0020000e'],
] as const;

function inspect(bytes: Uint8Array): Inspection {
  const parsed = parsePart10(bytes);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  const ds = file.dataSet;
  const sopClassUid = firstString(ds, 'x00080016');
  const sopInstanceUid = firstString(ds, 'x00080018');
  const ids = { sopClassUid, sopInstanceUid };
  const fail = (reason: string): Inspection => ({
    ok: false,
    reason,
    ...(sopInstanceUid && uidProblem(sopInstanceUid) === undefined ? { sopInstanceUid } : {}),
    ...(sopClassUid && uidProblem(sopClassUid) === undefined ? { sopClassUid } : {}),
  });
  for (const [name, tag] of UID_TAGS) {
    const problem = uidProblem(firstString(ds, tag));
    if (problem) return fail(`${name} ${problem}`);
  }
  const pixelResult = readImagePixel(ds);
  if (!pixelResult.ok) return fail(pixelResult.reason);
  const pixel = pixelResult.pixel;
  if (pixel) {
    const problem = pixelDataProblem(ds, file.transferSyntax, pixel);
    if (problem) return fail(problem);
  }
  const { meta } = file;
  if (!meta.mediaStorageSopClassUid) return fail('file meta lacks Media Storage SOP Class UID (0002,0002)');
  if (!meta.mediaStorageSopInstanceUid)
    return fail('file meta lacks Media Storage SOP Instance UID (0002,0003)');
  if (meta.mediaStorageSopClassUid !== ids.sopClassUid) {
    return fail('Media Storage SOP Class UID (0002,0002) differs from the dataset SOP Class UID (0008,0016)');
  }
  if (meta.mediaStorageSopInstanceUid !== ids.sopInstanceUid) {
    return fail(
      'Media Storage SOP Instance UID (0002,0003) differs from the dataset SOP Instance UID (0008,0018)',
    );
  }
  const seriesNumber = integerString(ds, 'x00200011');
  const instanceNumber = integerString(ds, 'x00200013');
  const decode = decoderFor(ds);
  const record: Omit<InstanceRecord, 'institutionId'> = {
    studyInstanceUid: firstString(ds, 'x0020000d')!,
    seriesInstanceUid: firstString(ds, 'x0020000e')!,
    sopInstanceUid: sopInstanceUid!,
    sopClassUid: sopClassUid!,
    transferSyntaxUid: file.transferSyntax.uid,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const optional: Partial<InstanceRecord> = {
    patientId: decodedString(ds, 'x00100020', decode),
    patientName: decodedString(ds, 'x00100010', decode),
    patientBirthDate: firstString(ds, 'x00100030'),
    patientSex: firstString(ds, 'x00100040'),
    studyDate: firstString(ds, 'x00080020'),
    studyTime: firstString(ds, 'x00080030'),
    studyDescription: decodedString(ds, 'x00081030', decode),
    studyId: decodedString(ds, 'x00200010', decode),
    accessionNumber: decodedString(ds, 'x00080050', decode),
    referringPhysicianName: decodedString(ds, 'x00080090', decode),
    modality: firstString(ds, 'x00080060'),
    // A malformed Series/Instance Number only loses its sort order; it does not make the image unreadable.
    seriesNumber: seriesNumber.ok ? seriesNumber.value : undefined,
    seriesDescription: decodedString(ds, 'x0008103e', decode),
    instanceNumber: instanceNumber.ok ? instanceNumber.value : undefined,
    rows: pixel?.rows,
    columns: pixel?.columns,
    numberOfFrames: pixel?.numberOfFrames,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (record as Record<string, unknown>)[key] = value;
  }
  return { ok: true, instance: { file, pixel, record } };
}
