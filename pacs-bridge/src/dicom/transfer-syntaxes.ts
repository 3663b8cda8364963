// The transfer syntaxes the bridge accepts, and what each one means for reading and serving pixel data.
// Anything not listed is refused at ingest: a syntax we cannot describe is one the viewer cannot show.

export type PixelEncoding = 'native' | 'encapsulated';

export interface TransferSyntax {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  /** Dataset byte order after the file meta group (which is always little endian). */
  littleEndian: boolean;
  explicitVr: boolean;
  /** Whole dataset after the meta group is raw-deflated (PS3.5 A.5). */
  deflated: boolean;
  /** Media type of one frame in this syntax (PS3.18 table 8.7.3-2), for WADO-RS /frames. */
  frameMediaType: string;
  lossy: boolean;
}

const ts = (
  uid: string,
  name: string,
  encoding: PixelEncoding,
  frameMediaType: string,
  extra: Partial<Pick<TransferSyntax, 'littleEndian' | 'explicitVr' | 'deflated' | 'lossy'>> = {},
): TransferSyntax => ({
  uid,
  name,
  encoding,
  frameMediaType,
  littleEndian: extra.littleEndian ?? true,
  explicitVr: extra.explicitVr ?? true,
  deflated: extra.deflated ?? false,
  lossy: extra.lossy ?? false,
});

export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LE = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BE = '1.2.840.10008.1.2.2';

const LIST: TransferSyntax[] = [
  ts(IMPLICIT_VR_LE, 'Implicit VR Little Endian', 'native', 'application/octet-stream', {
    explicitVr: false,
  }),
  ts(EXPLICIT_VR_LE, 'Explicit VR Little Endian', 'native', 'application/octet-stream'),
  ts(DEFLATED_EXPLICIT_VR_LE, 'Deflated Explicit VR Little Endian', 'native', 'application/octet-stream', {
    deflated: true,
  }),
  ts(EXPLICIT_VR_BE, 'Explicit VR Big Endian', 'native', 'application/octet-stream', { littleEndian: false }),
  ts('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'encapsulated', 'image/jpeg', { lossy: true }),
  ts('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'encapsulated', 'image/jpeg', {
    lossy: true,
  }),
  ts('1.2.840.10008.1.2.4.57', 'JPEG Lossless (Process 14)', 'encapsulated', 'image/jpeg'),
  ts('1.2.840.10008.1.2.4.70', 'JPEG Lossless SV1 (Process 14.1)', 'encapsulated', 'image/jpeg'),
  ts('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'encapsulated', 'image/jls'),
  ts('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'encapsulated', 'image/jls', { lossy: true }),
  ts('1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless', 'encapsulated', 'image/jp2'),
  ts('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'encapsulated', 'image/jp2', { lossy: true }),
  ts('1.2.840.10008.1.2.4.201', 'HTJ2K Lossless', 'encapsulated', 'image/jphc'),
  ts('1.2.840.10008.1.2.4.202', 'HTJ2K Lossless RPCL', 'encapsulated', 'image/jphc'),
  ts('1.2.840.10008.1.2.4.203', 'HTJ2K', 'encapsulated', 'image/jphc', { lossy: true }),
  ts('1.2.840.10008.1.2.5', 'RLE Lossless', 'encapsulated', 'image/dicom-rle'),
];

const BY_UID = new Map(LIST.map((t) => [t.uid, t]));

export function transferSyntax(uid: string): TransferSyntax | undefined {
  return BY_UID.get(uid);
}

export function knownTransferSyntaxes(): readonly TransferSyntax[] {
  return LIST;
}
