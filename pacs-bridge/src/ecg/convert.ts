// One ECG file in (HL7 aECG or SCP-ECG, detected by content) → one DICOM 12-lead ECG instance
// out, ready for the ingest pipeline. No I/O and no HTTP here, so the HTTP route, a CLI or a
// folder watcher can share it.
import { readAecg } from './aecg.js';
import { detectEcgFormat } from './detect.js';
import { writeTwelveLeadEcg, type WrittenEcg } from './dicom-write.js';
import { EcgError, type ImportedEcg } from './model.js';
import { readScpEcg } from './scp-ecg.js';

export interface ConvertOptions {
  institutionName?: string;
  studyInstanceUid?: string;
  /** Mixed into the UID derivation, e.g. the importing institution's id. */
  uidSalt?: string;
  now?: Date;
}

export interface ConvertedEcg {
  kind: 'hl7-aecg' | 'scp-ecg';
  imported: ImportedEcg;
  written: WrittenEcg;
}

/** XML text in the encoding its declaration names (UTF-8 when none, as XML says). */
function xmlText(bytes: Uint8Array): string {
  const declaration = /^\uFEFF?\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(
    Buffer.from(bytes.subarray(0, 200)).toString('latin1'),
  );
  const encoding = declaration?.[1]?.toLowerCase() ?? 'utf-8';
  if (encoding === 'iso-8859-1' || encoding === 'latin1' || encoding === 'windows-1252') {
    return Buffer.from(bytes).toString('latin1');
  }
  if (encoding !== 'utf-8' && encoding !== 'utf8') {
    throw new EcgError('unsupported', `HL7 aECG in encoding ${encoding} is not supported (use UTF-8)`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EcgError('malformed', 'the HL7 aECG document is not valid UTF-8');
  }
}

/** Reads an aECG or SCP-ECG file into the model (no DICOM writing). */
export function readEcgFile(bytes: Uint8Array): { kind: 'hl7-aecg' | 'scp-ecg'; imported: ImportedEcg } {
  const kind = detectEcgFormat(bytes);
  switch (kind) {
    case 'hl7-aecg':
      return { kind, imported: readAecg(xmlText(bytes)) };
    case 'scp-ecg':
      return { kind, imported: readScpEcg(bytes) };
    case 'dicom':
      throw new EcgError(
        'unrecognised-format',
        'this is already a DICOM file: send it with STOW-RS (/dicomweb/studies)',
      );
    case 'xml':
      throw new EcgError(
        'unrecognised-format',
        'the XML is not an HL7 aECG document (no AnnotatedECG root element)',
      );
    default:
      throw new EcgError('unrecognised-format', 'neither HL7 aECG XML nor an SCP-ECG record');
  }
}

/** aECG / SCP-ECG bytes → DICOM 12-lead ECG Part 10 bytes. Throws EcgError with a reason. */
export function convertEcgFile(bytes: Uint8Array, options: ConvertOptions = {}): ConvertedEcg {
  const { kind, imported } = readEcgFile(bytes);
  const written = writeTwelveLeadEcg(imported, { ...options, sourceBytes: bytes });
  return { kind, imported, written };
}
