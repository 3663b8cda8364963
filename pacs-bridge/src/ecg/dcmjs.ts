// The slice of dcmjs the ECG code uses, typed here. dcmjs ships no type declarations; loading it
// through createRequire (its UMD build) instead of an ambient `declare module 'dcmjs'` keeps these
// types local, so they cannot clash with declarations other parts of the bridge may add.
import { createRequire } from 'node:module';

/** A dcmjs "naturalized" dataset: keyword → value; sequences are arrays of datasets. */
export type NaturalDataset = Record<string, unknown> & { _vrMap?: Record<string, string> };

export interface DcmjsDicomDict {
  meta: Record<string, unknown>;
  dict: Record<string, unknown>;
  write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
}

interface DcmjsApi {
  data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string }): DcmjsDicomDict;
    };
    DicomMetaDictionary: {
      naturalizeDataset(dict: Record<string, unknown>): NaturalDataset;
      denaturalizeDataset(ds: NaturalDataset): Record<string, unknown>;
    };
    DicomDict: new (meta: Record<string, unknown>) => DcmjsDicomDict;
  };
  log?: { setLevel?(level: string): void; getLogger?(name: string): { setLevel(level: string): void } };
}

const require = createRequire(import.meta.url);
export const dcmjs = require('dcmjs') as DcmjsApi;

/** An ArrayBuffer holding exactly `bytes` (dcmjs wants a whole ArrayBuffer, not a view). */
export function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer;
  }
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
