// EcgRecording → DICOM 12-lead ECG Waveform Storage (PS3.3 A.34.3), Explicit VR Little Endian
// Part 10 bytes, written with dcmjs. Imported aECG / SCP-ECG recordings are stored this way so the
// PACS holds one format. The raw integers are written unchanged with the source's scale as Channel
// Sensitivity (µV), so reading the instance back gives exactly the imported samples.
//
// The 12-lead ECG IOD restricts what fits (A.34.3.4): at most 5 multiplex groups, 1–13 channels
// each, 200–1000 Hz, at most 16384 samples, 16-bit signed samples, leads coded from CID 3001.
// A recording outside that is refused with the rule it breaks, never silently altered.
import { dcmjs, type NaturalDataset } from './dcmjs.js';
import { numberOfLead } from './leads.js';
import { EcgError, type EcgChannel, type EcgGroup, type ImportedEcg } from './model.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME, isUid, nameBasedUid } from './uid.js';

export const TWELVE_LEAD_ECG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.9.1.1';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

export interface WriteOptions {
  /** Institution that sends the ECG (InstitutionName); set by the caller, not taken from the file. */
  institutionName?: string;
  /** Attach to an existing study; otherwise the source's study UID, otherwise a new one. */
  studyInstanceUid?: string;
  /** The source file's bytes: UIDs are derived from them so a re-import is idempotent. */
  sourceBytes: Uint8Array;
  /** Extra input to the UID derivation (e.g. the importing institution's id). */
  uidSalt?: string;
  /** Used for Content Date/Time only when the source has no acquisition time. */
  now?: Date;
}

export interface WrittenEcg {
  bytes: Buffer;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
}

// Maximum lengths of the VRs written below (PS3.5 6.2): values are clipped here because dcmjs
// would otherwise log the over-long value — which may be a patient's name — while truncating it.
const MAX: Record<string, number> = { LO: 64, SH: 16, PN: 64, CS: 16 };
const clip = (value: string | undefined, vr: keyof typeof MAX): string => (value ?? '').slice(0, MAX[vr]);

/** DS values are at most 16 characters: 1.2199999999999998 → "1.22". */
export function decimalString(n: number): string {
  for (let digits = 15; digits > 0; digits--) {
    const s = String(Number(n.toPrecision(digits)));
    if (s.length <= 16) return s;
  }
  return '0';
}

function checkGroup(g: EcgGroup, index: number): void {
  const where = `multiplex group ${index + 1}`;
  if (g.channels.length < 1 || g.channels.length > 13) {
    throw new EcgError(
      'unsupported',
      `${where} has ${g.channels.length} channels; a 12-lead ECG allows 1–13`,
    );
  }
  if (g.samplingFrequency < 200 || g.samplingFrequency > 1000) {
    throw new EcgError(
      'unsupported',
      `${where} is sampled at ${g.samplingFrequency} Hz; a 12-lead ECG allows 200–1000 Hz`,
    );
  }
  if (g.numberOfSamples > 16384) {
    throw new EcgError(
      'unsupported',
      `${where} has ${g.numberOfSamples} samples; a 12-lead ECG allows at most 16384`,
    );
  }
  for (const c of g.channels) {
    if (c.units !== 'uV')
      throw new EcgError('unsupported', `${where} channel ${c.lead} is in ${c.units}, not a voltage`);
    if (numberOfLead(c.lead) === undefined) {
      throw new EcgError(
        'unsupported',
        `${where} channel ${c.lead} is not an ECG lead a 12-lead ECG object can code`,
      );
    }
    if (c.raw.length !== g.numberOfSamples)
      throw new EcgError('malformed', `${where} channel ${c.lead} has ${c.raw.length} samples`);
    for (const v of c.raw) {
      if (v < -32768 || v > 32767) {
        throw new EcgError(
          'unsupported',
          `${where} channel ${c.lead} has values beyond 16 bits; a 12-lead ECG stores 16-bit samples`,
        );
      }
    }
  }
}

function channelDefinition(c: EcgChannel): NaturalDataset {
  const n = numberOfLead(c.lead)!;
  const def: NaturalDataset = {
    ChannelSourceSequence: [
      { CodeValue: `2:${n}`, CodingSchemeDesignator: 'MDC', CodeMeaning: `Lead ${c.lead}` },
    ],
    ChannelSensitivity: decimalString(c.sensitivity),
    ChannelSensitivityUnitsSequence: [
      { CodeValue: 'uV', CodingSchemeDesignator: 'UCUM', CodeMeaning: 'microvolt' },
    ],
    ChannelSensitivityCorrectionFactor: decimalString(c.sensitivityCorrection),
    ChannelBaseline: decimalString(c.baseline),
    ChannelSampleSkew: '0',
    WaveformBitsStored: 16,
  };
  if (c.filterLowHz !== undefined) def.FilterLowFrequency = decimalString(c.filterLowHz);
  if (c.filterHighHz !== undefined) def.FilterHighFrequency = decimalString(c.filterHighHz);
  if (c.notchHz !== undefined) def.NotchFilterFrequency = decimalString(c.notchHz);
  return def;
}

/** Interleaves channels sample by sample (C1S1, C2S1 … CnS1, C1S2 …) as 16-bit little-endian. */
function multiplex(g: EcgGroup): ArrayBuffer {
  const n = g.channels.length;
  const out = new ArrayBuffer(n * g.numberOfSamples * 2);
  const view = new DataView(out);
  for (let c = 0; c < n; c++) {
    const raw = g.channels[c]!.raw;
    for (let s = 0; s < g.numberOfSamples; s++) view.setInt16((s * n + c) * 2, raw[s]!, true);
  }
  return out;
}

/** MultiplexGroupLabel is SH (16 chars): 'REPRESENTATIVE_BEAT' → 'REPRESENTATIVE', cut at a word. */
function groupLabel(label: string): string {
  const words = label.replace(/_/g, ' ').trim().split(/\s+/);
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (next.length > MAX.SH!) break;
    out = next;
  }
  return out || label.slice(0, MAX.SH);
}

function waveformItem(g: EcgGroup): NaturalDataset {
  const item: NaturalDataset = {
    _vrMap: { WaveformData: 'OW', ...(g.paddingValue !== undefined ? { WaveformPaddingValue: 'OW' } : {}) },
    MultiplexGroupTimeOffset: decimalString(g.timeOffsetMs ?? 0),
    WaveformOriginality: g.originality,
    NumberOfWaveformChannels: g.channels.length,
    NumberOfWaveformSamples: g.numberOfSamples,
    SamplingFrequency: decimalString(g.samplingFrequency),
    ChannelDefinitionSequence: g.channels.map(channelDefinition),
    WaveformBitsAllocated: 16,
    WaveformSampleInterpretation: 'SS',
    WaveformData: [multiplex(g)],
  };
  if (g.label) item.MultiplexGroupLabel = groupLabel(g.label);
  if (g.paddingValue !== undefined) {
    const pad = new ArrayBuffer(2);
    new DataView(pad).setInt16(0, g.paddingValue, true);
    item.WaveformPaddingValue = [pad];
  }
  return item;
}

function splitDateTime(dt: string | undefined, now: Date): { date: string; time: string } {
  if (dt && /^\d{8}/.test(dt)) return { date: dt.slice(0, 8), time: dt.slice(8, 14).padEnd(6, '0') };
  const iso = now.toISOString(); // UTC: the import time, only when the source gives none
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}

/** Builds the 12-lead ECG instance. Throws EcgError when the recording does not fit the IOD. */
export function writeTwelveLeadEcg(ecg: ImportedEcg, options: WriteOptions): WrittenEcg {
  const groups = ecg.recording.groups;
  if (groups.length < 1 || groups.length > 5) {
    throw new EcgError(
      'unsupported',
      `the recording has ${groups.length} multiplex groups; a 12-lead ECG allows 1–5`,
    );
  }
  groups.forEach(checkGroup);
  const subject = ecg.subject.reveal();
  const salt = options.uidSalt ?? '';
  if (options.studyInstanceUid !== undefined && !isUid(options.studyInstanceUid)) {
    throw new EcgError('malformed', 'the requested Study Instance UID is not a valid UID');
  }
  const sourceStudy = isUid(subject.studyInstanceUid) ? subject.studyInstanceUid : undefined;
  const studyInstanceUid =
    options.studyInstanceUid ?? sourceStudy ?? nameBasedUid('study', salt, options.sourceBytes);
  // Series and instance depend on the target study too: the same file attached to another study is
  // another instance there, not a conflicting copy of the first.
  const seriesInstanceUid = nameBasedUid('series', salt, studyInstanceUid, options.sourceBytes);
  const sopInstanceUid = nameBasedUid('instance', salt, studyInstanceUid, options.sourceBytes);
  const { date, time } = splitDateTime(subject.acquisitionDateTime, options.now ?? new Date());
  const source =
    ecg.recording.source === 'hl7-aecg'
      ? 'HL7 aECG'
      : ecg.recording.source === 'scp-ecg'
        ? 'SCP-ECG'
        : 'DICOM';

  const dataset: NaturalDataset = {
    _vrMap: {},
    SpecificCharacterSet: 'ISO_IR 192', // dcmjs writes text as UTF-8
    SOPClassUID: TWELVE_LEAD_ECG_SOP_CLASS,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: date,
    StudyTime: time,
    ContentDate: date,
    ContentTime: time,
    AcquisitionDateTime: subject.acquisitionDateTime?.slice(0, 26) ?? `${date}${time}`,
    AccessionNumber: clip(subject.accessionNumber, 'SH'),
    Modality: 'ECG',
    Manufacturer: clip(subject.manufacturer, 'LO'),
    InstitutionName: clip(options.institutionName, 'LO'),
    ReferringPhysicianName: '',
    StudyDescription: clip(subject.studyDescription ?? 'ECG', 'LO'),
    SeriesDescription: clip(`ECG imported from ${source}`, 'LO'),
    ManufacturerModelName: clip(subject.manufacturerModelName, 'LO'),
    PatientName: subject.patientName ? [{ Alphabetic: clip(subject.patientName, 'PN') }] : '',
    PatientID: clip(subject.patientId, 'LO'),
    PatientBirthDate: subject.patientBirthDate ?? '',
    PatientSex: subject.patientSex ?? '',
    StudyInstanceUID: studyInstanceUid,
    SeriesInstanceUID: seriesInstanceUid,
    StudyID: '',
    SeriesNumber: 1,
    InstanceNumber: 1,
    AcquisitionContextSequence: [],
    WaveformSequence: groups.map(waveformItem),
  };
  const meta: NaturalDataset = {
    _vrMap: {},
    FileMetaInformationVersion: [new Uint8Array([0, 1]).buffer],
    MediaStorageSOPClassUID: TWELVE_LEAD_ECG_SOP_CLASS,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  let bytes: ArrayBuffer;
  try {
    const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
    dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
    bytes = dict.write();
  } catch {
    // dcmjs messages can quote values (patient data): report the stage, not the text.
    throw new EcgError('malformed', 'the ECG could not be encoded as DICOM');
  }
  return {
    bytes: Buffer.from(bytes),
    studyInstanceUid,
    seriesInstanceUid,
    sopInstanceUid,
    sopClassUid: TWELVE_LEAD_ECG_SOP_CLASS,
  };
}
