// DICOM waveform objects → EcgRecording. Works for every IOD with a Waveform Sequence (5400,0100):
// 12-lead ECG, General ECG, Ambulatory ECG, Hemodynamic, Arterial Pulse, … — the Waveform module
// is the same in all of them (PS3.3 C.10.9). dcmjs parses the file (all uncompressed syntaxes,
// deflate included); this module only interprets the Waveform module.
import { buildChannel } from './channel.js';
import { code, num, seq, str, bytes } from './dataset.js';
import { dcmjs, exactArrayBuffer, type NaturalDataset } from './dcmjs.js';
import { orderChannels } from './leads.js';
import { EcgError, EcgSubject, type EcgGroup, type EcgSubjectData, type ImportedEcg } from './model.js';
import { demultiplex, isSampleInterpretation, paddingValue } from './samples.js';

export const ECG_SOP_CLASSES: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.9.1.1': '12-lead ECG',
  '1.2.840.10008.5.1.4.1.1.9.1.2': 'General ECG',
  '1.2.840.10008.5.1.4.1.1.9.1.3': 'Ambulatory ECG',
  '1.2.840.10008.5.1.4.1.1.9.1.4': 'General 32-bit ECG',
  '1.2.840.10008.5.1.4.1.1.9.2.1': 'Hemodynamic waveform',
  '1.2.840.10008.5.1.4.1.1.9.3.1': 'Basic cardiac electrophysiology waveform',
  '1.2.840.10008.5.1.4.1.1.9.5.1': 'Arterial pulse waveform',
  '1.2.840.10008.5.1.4.1.1.9.6.1': 'Respiratory waveform',
};

const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

export interface ParsedPart10 {
  dataset: NaturalDataset;
  transferSyntaxUid?: string;
}

/** Parses Part 10 bytes with dcmjs; a file dcmjs cannot read is reported without its internals. */
export function parsePart10(input: Uint8Array): ParsedPart10 {
  if (input.byteLength < 132 || Buffer.from(input.subarray(128, 132)).toString('latin1') !== 'DICM') {
    throw new EcgError('unrecognised-format', 'not a DICOM Part 10 file (no DICM prefix at byte 128)');
  }
  try {
    const dict = dcmjs.data.DicomMessage.readFile(exactArrayBuffer(input));
    const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.meta);
    const transferSyntaxUid = str(meta, 'TransferSyntaxUID');
    return {
      dataset: dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict),
      ...(transferSyntaxUid ? { transferSyntaxUid } : {}),
    };
  } catch {
    // dcmjs error texts can quote element values; say what failed, not what it contained.
    throw new EcgError('malformed', 'the DICOM file could not be parsed (truncated or corrupt data set)');
  }
}

function readGroup(item: NaturalDataset, index: number, bigEndian: boolean): EcgGroup {
  const where = `Waveform Sequence item ${index + 1}`;
  const channelCount = num(item, 'NumberOfWaveformChannels');
  const sampleCount = num(item, 'NumberOfWaveformSamples');
  const frequency = num(item, 'SamplingFrequency');
  const bitsAllocated = num(item, 'WaveformBitsAllocated');
  const interp = str(item, 'WaveformSampleInterpretation');
  const data = bytes(item, 'WaveformData');
  const missing = [
    channelCount === undefined && 'NumberOfWaveformChannels',
    sampleCount === undefined && 'NumberOfWaveformSamples',
    frequency === undefined && 'SamplingFrequency',
    bitsAllocated === undefined && 'WaveformBitsAllocated',
    interp === undefined && 'WaveformSampleInterpretation',
    data === undefined && 'WaveformData',
  ].filter((m): m is string => typeof m === 'string');
  if (missing.length > 0) throw new EcgError('malformed', `${where} lacks ${missing.join(', ')}`);
  if (
    !Number.isInteger(channelCount) ||
    channelCount! < 1 ||
    !Number.isInteger(sampleCount) ||
    sampleCount! < 1
  ) {
    throw new EcgError('malformed', `${where} declares ${channelCount} channels × ${sampleCount} samples`);
  }
  if (!(frequency! > 0)) throw new EcgError('malformed', `${where} has SamplingFrequency ${frequency}`);
  if (!isSampleInterpretation(interp)) {
    throw new EcgError('unsupported', `${where}: WaveformSampleInterpretation ${interp} is not supported`);
  }
  const definitions = seq(item, 'ChannelDefinitionSequence');
  if (definitions.length !== channelCount) {
    throw new EcgError(
      'malformed',
      `${where} declares ${channelCount} channels but its Channel Definition Sequence has ${definitions.length} items`,
    );
  }
  if (bigEndian && bitsAllocated === 32) {
    // OW is swapped per 16-bit word in big endian; how 32-bit samples survive that is not settled.
    throw new EcgError(
      'unsupported',
      `${where}: 32-bit waveform samples in Big Endian transfer syntax are not supported`,
    );
  }
  const raw = demultiplex(data!, channelCount!, sampleCount!, bitsAllocated!, interp, !bigEndian);
  const padding = paddingValue(item.WaveformPaddingValue, interp, !bigEndian);
  const channels = definitions.map((def, c) => {
    const source = code(seq(def, 'ChannelSourceSequence')[0]);
    const units = code(seq(def, 'ChannelSensitivityUnitsSequence')[0]);
    return buildChannel(raw.channels[c]!, {
      ...(source ? { code: source } : {}),
      ...(str(def, 'ChannelLabel') ? { label: str(def, 'ChannelLabel') } : {}),
      ...(units ? { units: units.value } : {}),
      sensitivity: num(def, 'ChannelSensitivity'),
      sensitivityCorrection: num(def, 'ChannelSensitivityCorrectionFactor'),
      baseline: num(def, 'ChannelBaseline'),
      paddingValue: padding,
      filterLowHz: num(def, 'FilterLowFrequency'),
      filterHighHz: num(def, 'FilterHighFrequency'),
      notchHz: num(def, 'NotchFilterFrequency'),
    });
  });
  const originality = str(item, 'WaveformOriginality') === 'DERIVED' ? 'DERIVED' : 'ORIGINAL';
  const label = str(item, 'MultiplexGroupLabel');
  const offset = num(item, 'MultiplexGroupTimeOffset');
  return {
    ...(label ? { label } : {}),
    originality,
    samplingFrequency: frequency!,
    numberOfSamples: sampleCount!,
    ...(offset !== undefined ? { timeOffsetMs: offset } : {}),
    bitsAllocated: bitsAllocated as 8 | 16 | 32,
    sampleInterpretation: interp,
    ...(padding !== undefined ? { paddingValue: padding } : {}),
    channels: orderChannels(channels),
  };
}

function subjectOf(ds: NaturalDataset): EcgSubjectData {
  const sex = str(ds, 'PatientSex');
  const acquired =
    str(ds, 'AcquisitionDateTime') ??
    (str(ds, 'ContentDate') ? `${str(ds, 'ContentDate')}${str(ds, 'ContentTime') ?? ''}` : undefined);
  const entries: Array<[keyof EcgSubjectData, string | undefined]> = [
    ['patientId', str(ds, 'PatientID')],
    ['patientName', str(ds, 'PatientName')],
    ['patientBirthDate', str(ds, 'PatientBirthDate')],
    ['patientSex', sex === 'M' || sex === 'F' || sex === 'O' ? sex : undefined],
    ['acquisitionDateTime', acquired],
    ['manufacturer', str(ds, 'Manufacturer')],
    ['manufacturerModelName', str(ds, 'ManufacturerModelName')],
    ['studyInstanceUid', str(ds, 'StudyInstanceUID')],
    ['accessionNumber', str(ds, 'AccessionNumber')],
    ['studyDescription', str(ds, 'StudyDescription')],
    ['institutionName', str(ds, 'InstitutionName')],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as EcgSubjectData;
}

/** Reads the waveforms of a naturalized DICOM data set (`bigEndian`: its OW data are big-endian). */
export function recordingFromDataset(ds: NaturalDataset, bigEndian = false): ImportedEcg {
  const items = seq(ds, 'WaveformSequence');
  if (items.length === 0) {
    throw new EcgError('no-waveform', 'the DICOM object has no Waveform Sequence (5400,0100)');
  }
  const sopClassUid = str(ds, 'SOPClassUID');
  const sopInstanceUid = str(ds, 'SOPInstanceUID');
  return {
    recording: {
      source: 'dicom',
      ...(sopClassUid ? { sopClassUid } : {}),
      ...(sopInstanceUid ? { sopInstanceUid } : {}),
      groups: items.map((item, i) => readGroup(item, i, bigEndian)),
    },
    subject: new EcgSubject(subjectOf(ds)),
  };
}

/** DICOM Part 10 bytes → waveforms. Throws EcgError for anything that is not a readable waveform. */
export function readDicomEcg(input: Uint8Array): ImportedEcg {
  const { dataset, transferSyntaxUid } = parsePart10(input);
  return recordingFromDataset(dataset, transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN);
}
