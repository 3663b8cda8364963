// Decoding one compressed frame to native little-endian samples, for WADO-RS /frames when a client asks
// for an uncompressed transfer syntax. Uses the same WebAssembly codecs Cornerstone uses in the browser
// (libjpeg-turbo, CharLS, OpenJPEG, OpenJPH), jpeg-lossless-decoder-js for JPEG Process 14, and our own
// RLE decoder. JPEG Extended 12-bit has no decoder here: callers answer 406 for it.
import { createRequire } from 'node:module';
import { decodeRle } from './rle.js';
import type { ImagePixel } from './pixel-data.js';

const require = createRequire(import.meta.url);

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  delete?(): void;
}
type WasmModule = Record<string, new () => WasmDecoder>;

const modules = new Map<string, Promise<WasmModule>>();

function loadWasm(path: string): Promise<WasmModule> {
  let m = modules.get(path);
  if (!m) {
    const factory = require(path) as (() => Promise<WasmModule>) | { default: () => Promise<WasmModule> };
    m = (typeof factory === 'function' ? factory : factory.default)();
    modules.set(path, m);
  }
  return m;
}

async function wasmDecode(path: string, className: string, frame: Uint8Array): Promise<Uint8Array> {
  const mod = await loadWasm(path);
  const decoder = new mod[className]!();
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    // Copy out: the decoded buffer is a view into WebAssembly memory that the next decode reuses.
    return Uint8Array.from(decoder.getDecodedBuffer());
  } finally {
    decoder.delete?.();
  }
}

const CODECS: Record<string, { path: string; className: string } | undefined> = {
  '1.2.840.10008.1.2.4.50': {
    path: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
    className: 'JPEGDecoder',
  },
  '1.2.840.10008.1.2.4.80': { path: '@cornerstonejs/codec-charls/decodewasmjs', className: 'JpegLSDecoder' },
  '1.2.840.10008.1.2.4.81': { path: '@cornerstonejs/codec-charls/decodewasmjs', className: 'JpegLSDecoder' },
  '1.2.840.10008.1.2.4.90': { path: '@cornerstonejs/codec-openjpeg/decodewasmjs', className: 'J2KDecoder' },
  '1.2.840.10008.1.2.4.91': { path: '@cornerstonejs/codec-openjpeg/decodewasmjs', className: 'J2KDecoder' },
  '1.2.840.10008.1.2.4.201': { path: '@cornerstonejs/codec-openjph/wasmjs', className: 'HTJ2KDecoder' },
  '1.2.840.10008.1.2.4.202': { path: '@cornerstonejs/codec-openjph/wasmjs', className: 'HTJ2KDecoder' },
  '1.2.840.10008.1.2.4.203': { path: '@cornerstonejs/codec-openjph/wasmjs', className: 'HTJ2KDecoder' },
};

const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
const RLE = '1.2.840.10008.1.2.5';

export function canDecode(transferSyntaxUid: string, pixel: ImagePixel): boolean {
  if (transferSyntaxUid === '1.2.840.10008.1.2.4.50') return pixel.bitsAllocated === 8;
  return (
    transferSyntaxUid === RLE ||
    JPEG_LOSSLESS.has(transferSyntaxUid) ||
    CODECS[transferSyntaxUid] !== undefined
  );
}

/** Native little-endian samples of one frame (interleaved colour), or throws if the data is bad. */
export async function decodeFrame(
  transferSyntaxUid: string,
  frame: Uint8Array,
  pixel: ImagePixel,
): Promise<Uint8Array> {
  if (transferSyntaxUid === RLE) return decodeRle(frame, pixel);
  if (JPEG_LOSSLESS.has(transferSyntaxUid)) {
    const { Decoder } = require('jpeg-lossless-decoder-js') as {
      Decoder: new () => { decode(b: ArrayBuffer, o: number, l: number, n: number): ArrayBufferView };
    };
    const copy = Uint8Array.from(frame);
    const out = new Decoder().decode(copy.buffer, 0, copy.length, pixel.bitsAllocated <= 8 ? 1 : 2);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  const codec = CODECS[transferSyntaxUid];
  if (!codec) throw new Error(`no decoder for transfer syntax ${transferSyntaxUid}`);
  return wasmDecode(codec.path, codec.className, frame);
}
