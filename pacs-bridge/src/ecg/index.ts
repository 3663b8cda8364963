// ECG waveforms: one model for DICOM waveform objects, HL7 aECG and SCP-ECG; import of aECG/SCP
// as DICOM 12-lead ECG; the /api/ecg HTTP routes. The service mounts createEcgRouter at /api/ecg.
export { createEcgRouter, type EcgRouterDeps } from './router.js';
export {
  STANDARD_LEADS,
  EcgError,
  EcgSubject,
  type StandardLead,
  type SampleInterpretation,
  type CodedConcept,
  type EcgChannel,
  type EcgGroup,
  type EcgRecording,
  type EcgSourceFormat,
  type EcgSubjectData,
  type ImportedEcg,
  type EcgErrorCode,
} from './model.js';
export { readDicomEcg, recordingFromDataset, ECG_SOP_CLASSES } from './dicom-read.js';
export { readAecg } from './aecg.js';
export { readScpEcg } from './scp-ecg.js';
export {
  writeTwelveLeadEcg,
  TWELVE_LEAD_ECG_SOP_CLASS,
  type WriteOptions,
  type WrittenEcg,
} from './dicom-write.js';
export { convertEcgFile, readEcgFile, type ConvertOptions, type ConvertedEcg } from './convert.js';
export { detectEcgFormat, type EcgFileKind } from './detect.js';
export { encodeEcgBinary, decodeEcgBinary, ECG_BINARY_MEDIA_TYPE, type BinaryHeader } from './binary.js';
export { recordingToJson, type EcgRecordingJson } from './json.js';
export { normaliseLead, orderChannels } from './leads.js';
