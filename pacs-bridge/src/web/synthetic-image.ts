// Test support: synthetic Part 10 images of any size (explicit VR little endian, or deflated), for
// tests that need large files or series the fixtures do not have.
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';

/** One explicit-VR-little-endian element (long form for OB/OW/UN/SQ/UT). */
function el(group: number, element: number, vr: string, value: Buffer): Buffer {
  const padded =
    value.length % 2 ? Buffer.concat([value, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]) : value;
  const long = ['OB', 'OW', 'UN', 'SQ', 'UT'].includes(vr);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(padded.length, 8);
  else h.writeUInt16LE(padded.length, 6);
  return Buffer.concat([h, padded]);
}
const str = (s: string) => Buffer.from(s, 'latin1');
const us = (n: number) => Buffer.from(Uint16Array.of(n).buffer);

export const randomUid = (): string => `2.25.${BigInt(`0x${randomBytes(12).toString('hex')}`)}`;

/**
 * A secondary-capture multi-frame image with `frames` 512×512×16-bit frames of random pixels, in a
 * study/series of its own unless given.
 */
export function syntheticImage(
  frames: number,
  syntax: string,
  opts: { deflate?: boolean; study?: string; series?: string; instanceNumber?: number } = {},
): Buffer {
  const sop = randomUid();
  const sc = '1.2.840.10008.5.1.4.1.1.7';
  const deflate = opts.deflate ?? false;
  const dataset = Buffer.concat([
    el(0x0008, 0x0016, 'UI', str(sc)),
    el(0x0008, 0x0018, 'UI', str(sop)),
    el(0x0008, 0x0060, 'CS', str('OT')),
    el(0x0010, 0x0020, 'LO', str('BIG-1')),
    el(0x0020, 0x000d, 'UI', str(opts.study ?? `${sop}.1`)),
    el(0x0020, 0x000e, 'UI', str(opts.series ?? `${sop}.2`)),
    el(0x0020, 0x0013, 'IS', str(String(opts.instanceNumber ?? 1))),
    el(0x0028, 0x0002, 'US', us(1)),
    el(0x0028, 0x0004, 'CS', str('MONOCHROME2')),
    el(0x0028, 0x0008, 'IS', str(String(frames))),
    el(0x0028, 0x0010, 'US', us(512)),
    el(0x0028, 0x0011, 'US', us(512)),
    el(0x0028, 0x0100, 'US', us(16)),
    el(0x0028, 0x0101, 'US', us(16)),
    el(0x0028, 0x0102, 'US', us(15)),
    el(0x0028, 0x0103, 'US', us(0)),
    el(0x7fe0, 0x0010, 'OW', randomBytes(512 * 512 * 2 * frames)),
  ]);
  const metaBody = Buffer.concat([
    el(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    el(0x0002, 0x0002, 'UI', str(sc)),
    el(0x0002, 0x0003, 'UI', str(sop)),
    el(0x0002, 0x0010, 'UI', str(syntax)),
    el(0x0002, 0x0012, 'UI', str('1.2.3.4')),
  ]);
  const groupLength = el(0x0002, 0x0000, 'UL', Buffer.from(Uint32Array.of(metaBody.length).buffer));
  return Buffer.concat([
    Buffer.alloc(128),
    str('DICM'),
    groupLength,
    metaBody,
    deflate ? deflateRawSync(dataset) : dataset,
  ]);
}
