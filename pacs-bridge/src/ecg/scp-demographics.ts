// SCP-ECG section 1 (patient data / ECG acquisition data): a list of tag(1) length(2) value
// fields ending with tag 255. Only what the DICOM writer needs is taken; the result goes into the
// redacting EcgSubject, never into the recording.
import { EcgError, type EcgSubjectData } from './model.js';

const TAG = {
  lastName: 0,
  firstName: 1,
  patientId: 2,
  birthDate: 5,
  sex: 8,
  acquisitionDate: 25,
  acquisitionTime: 26,
  end: 255,
} as const;

function text(value: Uint8Array): string | undefined {
  const end = value.indexOf(0);
  // Section 1 text is ISO 8859-1 unless tag 34 says otherwise; latin1 never fails to decode.
  const s = Buffer.from(end === -1 ? value : value.subarray(0, end))
    .toString('latin1')
    .trim();
  return s === '' ? undefined : s;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function date(value: Uint8Array): string | undefined {
  if (value.byteLength < 4) return undefined;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const year = view.getUint16(0, true);
  const month = view.getUint8(2);
  const day = view.getUint8(3);
  if (year < 1800 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}`;
}

function time(value: Uint8Array): string | undefined {
  if (value.byteLength < 3) return undefined;
  const [h, m, s] = [value[0]!, value[1]!, value[2]!];
  if (h > 23 || m > 59 || s > 60) return undefined;
  return `${pad(h, 2)}${pad(m, 2)}${pad(s, 2)}`;
}

/** Reads section 1's fields; unknown tags are skipped, a field running past the end is an error. */
export function readScpDemographics(section1: Uint8Array | undefined): EcgSubjectData {
  if (!section1) return {};
  const fields = new Map<number, Uint8Array>();
  const view = new DataView(section1.buffer, section1.byteOffset, section1.byteLength);
  for (let o = 0; o + 3 <= section1.byteLength;) {
    const tag = view.getUint8(o);
    const length = view.getUint16(o + 1, true);
    if (tag === TAG.end) break;
    if (o + 3 + length > section1.byteLength) {
      throw new EcgError('malformed', `SCP-ECG section 1 field ${tag} runs past the end of the section`);
    }
    if (!fields.has(tag)) fields.set(tag, section1.subarray(o + 3, o + 3 + length));
    o += 3 + length;
  }
  const get = (tag: number): Uint8Array | undefined => fields.get(tag);
  const last = get(TAG.lastName) && text(get(TAG.lastName)!);
  const first = get(TAG.firstName) && text(get(TAG.firstName)!);
  const sexCode = get(TAG.sex)?.[0];
  const acquiredDate = get(TAG.acquisitionDate) && date(get(TAG.acquisitionDate)!);
  const acquiredTime = get(TAG.acquisitionTime) && time(get(TAG.acquisitionTime)!);
  const out: EcgSubjectData = {};
  if (last || first) out.patientName = first ? `${last ?? ''}^${first}` : last!;
  const id = get(TAG.patientId) && text(get(TAG.patientId)!);
  if (id) out.patientId = id;
  const birth = get(TAG.birthDate) && date(get(TAG.birthDate)!);
  if (birth) out.patientBirthDate = birth;
  if (sexCode === 1) out.patientSex = 'M';
  else if (sexCode === 2) out.patientSex = 'F';
  if (acquiredDate) out.acquisitionDateTime = `${acquiredDate}${acquiredTime ?? ''}`;
  return out;
}
