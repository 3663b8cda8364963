// DICOM RLE Lossless (PS3.5 annex G) decoder: a 64-byte header of up to 15 segment offsets, each
// segment a PackBits stream of one byte plane (most significant byte first, per sample). Output is
// native little endian, colour interleaved (planar configuration 0).
import type { ImagePixel } from './pixel-data.js';

export function decodeRle(frame: Uint8Array, p: ImagePixel): Uint8Array {
  if (frame.length < 64) throw new Error('RLE frame shorter than its header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const bytesPerSample = p.bitsAllocated / 8;
  if (segments !== bytesPerSample * p.samplesPerPixel || segments > 15) {
    throw new Error(`RLE frame has ${segments} segments, expected ${bytesPerSample * p.samplesPerPixel}`);
  }
  const pixels = p.rows * p.columns;
  const out = new Uint8Array(pixels * segments);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + s * 4, true);
    const end = s + 1 < segments ? view.getUint32(8 + s * 4, true) : frame.length;
    if (start < 64 || start > end || end > frame.length)
      throw new Error('RLE segment offsets are out of range');
    const sample = Math.floor(s / bytesPerSample);
    // Segment order is most significant byte first; little-endian output puts it last.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = segments;
    let o = sample * bytesPerSample + byteInSample;
    let written = 0;
    let i = start;
    while (i < end && written < pixels) {
      const n = (frame[i++]! << 24) >> 24;
      if (n >= 0) {
        for (let k = 0; k <= n && i < end && written < pixels; k++, written++, o += stride)
          out[o] = frame[i++]!;
      } else if (n !== -128) {
        const v = frame[i++]!;
        for (let k = 0; k < 1 - n && written < pixels; k++, written++, o += stride) out[o] = v;
      }
    }
    if (written < pixels) throw new Error('RLE segment ends before the frame is complete');
  }
  return out;
}
