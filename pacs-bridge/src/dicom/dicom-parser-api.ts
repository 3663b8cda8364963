// The slice of dicom-parser the bridge uses, typed here: the package's own declarations leave out
// fragments, offset tables and the inflater's return value, which are exactly what we depend on.
import * as dicomParserModule from 'dicom-parser';

export interface DpFragment {
  /** Offset of the fragment's item tag relative to the first fragment (after the offset table). */
  offset: number;
  /** Absolute offset of the fragment's data in the byte array. */
  position: number;
  length: number;
}

export interface DpElement {
  tag: string;
  vr?: string;
  length: number;
  dataOffset: number;
  hadUndefinedLength?: boolean;
  items?: DpItem[];
  encapsulatedPixelData?: boolean;
  basicOffsetTable?: number[];
  fragments?: DpFragment[];
}

export interface DpItem {
  tag: string;
  length: number;
  dataOffset: number;
  dataSet?: DpDataSet;
}

export interface DpByteArrayParser {
  readUint16(byteArray: Uint8Array, position: number): number;
  readInt16(byteArray: Uint8Array, position: number): number;
  readUint32(byteArray: Uint8Array, position: number): number;
  readInt32(byteArray: Uint8Array, position: number): number;
  readFloat(byteArray: Uint8Array, position: number): number;
  readDouble(byteArray: Uint8Array, position: number): number;
}

export interface DpDataSet {
  byteArray: Uint8Array;
  byteArrayParser: DpByteArrayParser;
  elements: Record<string, DpElement | undefined>;
  warnings?: string[];
  string(tag: string, index?: number): string | undefined;
  uint16(tag: string, index?: number): number | undefined;
}

export interface DpParseOptions {
  untilTag?: string;
  inflater?: (byteArray: Uint8Array, position: number) => Uint8Array;
  TransferSyntaxUID?: string;
}

interface DicomParserApi {
  parseDicom(byteArray: Uint8Array, options?: DpParseOptions): DpDataSet;
}

const ns = dicomParserModule as unknown as { default?: DicomParserApi } & DicomParserApi;
export const dicomParser: DicomParserApi = ns.default ?? ns;

/** dicom-parser tags are `xggggeeee` in lower case; DICOM JSON keys are `GGGGEEEE`. */
export const dpTag = (jsonTag: string): string => `x${jsonTag.toLowerCase()}`;
export const jsonTag = (dpTagName: string): string => dpTagName.slice(1).toUpperCase();
