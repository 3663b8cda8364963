// The DICOM data dictionary, borrowed from dcmjs: keyword ↔ tag for QIDO parameters and includefield,
// and the VR of each tag for implicit-VR files (which do not carry VRs on the wire).
import { createRequire } from 'node:module';

interface DictEntry {
  tag: string; // "(0010,0010)"
  vr: string;
  name: string;
}

interface DcmjsDictionary {
  dictionary: Record<string, DictEntry | undefined>;
  nameMap: Record<string, DictEntry | undefined>;
}

const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: { DicomMetaDictionary: DcmjsDictionary } };
const dict = dcmjs.data.DicomMetaDictionary;

/** `GGGGEEEE` (DICOM JSON form) for a keyword or an 8-hex tag; undefined if neither. */
export function tagForKeyword(keywordOrTag: string): string | undefined {
  if (/^[0-9A-Fa-f]{8}$/.test(keywordOrTag)) return keywordOrTag.toUpperCase();
  const entry = dict.nameMap[keywordOrTag];
  return entry ? entry.tag.replace(/[(),]/g, '').toUpperCase() : undefined;
}

export function keywordForTag(tag: string): string | undefined {
  return dict.dictionary[`(${tag.slice(0, 4)},${tag.slice(4, 8)})`]?.name;
}

/**
 * The VR for a tag in an implicit-VR dataset. Ambiguous VRs are resolved as PS3.5 A.1 suggests for
 * implicit little endian: "US or SS" by Pixel Representation, "OB or OW" → OW. Unknown → UN.
 */
export function vrForTag(tag: string, pixelRepresentation = 0): string {
  const t = tag.toUpperCase();
  if (t.endsWith('0000')) return 'UL';
  let entry = dict.dictionary[`(${t.slice(0, 4)},${t.slice(4, 8)})`];
  // Repeating groups (curves, overlays: 50xx, 60xx) are listed with "xx" in the group.
  if (!entry && /^(50|60)/.test(t)) entry = dict.dictionary[`(${t.slice(0, 2)}xx,${t.slice(4, 8)})`];
  const vr = entry?.vr;
  if (!vr) return 'UN';
  // dcmjs writes the ambiguous ones as "xs" (US or SS) and "ox" (OB or OW).
  if (vr === 'xs' || vr.includes('SS')) return pixelRepresentation === 1 ? 'SS' : 'US';
  if (vr === 'ox' || vr.includes('OW')) return 'OW';
  return /^[A-Z]{2}$/.test(vr) ? vr : 'UN';
}
