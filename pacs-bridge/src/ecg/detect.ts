// What kind of ECG file a request body is, by content (clients' Content-Type headers for these
// formats are unreliable: aECG arrives as text/xml, application/xml or octet-stream alike).
import { looksLikeScp } from './scp-container.js';

export type EcgFileKind = 'hl7-aecg' | 'scp-ecg' | 'dicom' | 'xml' | 'unknown';

export function detectEcgFormat(bytes: Uint8Array): EcgFileKind {
  if (looksLikeScp(bytes)) return 'scp-ecg';
  if (bytes.byteLength >= 132 && Buffer.from(bytes.subarray(128, 132)).toString('latin1') === 'DICM')
    return 'dicom';
  // XML: optional UTF-8 BOM and whitespace, then '<'. Look for the aECG root in the first 64 kB
  // (comments and the XML declaration come before it).
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    i < bytes.byteLength &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++;
  if (bytes[i] !== 0x3c) return 'unknown';
  const head = Buffer.from(bytes.subarray(i, i + 65536)).toString('utf8');
  return /<(?:[A-Za-z_][\w.-]*:)?AnnotatedECG[\s>]/.test(head) ? 'hl7-aecg' : 'xml';
}
