// Decoding text values by Specific Character Set (0008,0005). dicom-parser reads text as Latin-1;
// clinics in China send GB18030/GBK or UTF-8 patient names, which would come out as mojibake in
// QIDO results and in the viewer. Only the first (default) repertoire is honoured: ISO 2022 code
// extensions are rare in practice and fall back to Latin-1 rather than fail the instance.

import { TextDecoder } from 'node:util';

const DECODERS: Record<string, string> = {
  '': 'latin1',
  ISO_IR_6: 'latin1',
  ISO_IR_100: 'latin1',
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'iso-8859-9',
  ISO_IR_13: 'shift_jis',
  ISO_IR_166: 'tis-620',
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

export type TextDecode = (bytes: Uint8Array) => string;

/** A decoder for the dataset's character set; unknown sets decode as Latin-1 (lossless per byte). */
export function textDecoderFor(specificCharacterSet: string | undefined): TextDecode {
  const first = (specificCharacterSet ?? '')
    .split('\\')[0]!
    .trim()
    .replace(/^ISO 2022 /, '')
    .replace(/ /g, '_');
  const label = DECODERS[first] ?? 'latin1';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('latin1');
  }
  return (bytes) => decoder.decode(bytes);
}
