import { describe, expect, it } from 'vitest';
import { decodeEcgBinary, EcgDecodeError } from './binary.js';
import { ECG_FIXTURES, fixtureRecording, loadBridgeEcg } from './fixtures.testkit.js';

const copy = (u: Uint8Array): ArrayBuffer => u.slice().buffer;

describe('browser decoder of the bridge binary', () => {
  it.each(ECG_FIXTURES)('decodes what the bridge encodes for %s, sample for sample', async (name) => {
    const bridge = await loadBridgeEcg();
    const recording = await fixtureRecording(bridge, name);
    const decoded = decodeEcgBinary(copy(bridge.encodeEcgBinary(recording)));
    expect(decoded.source).toBe(recording.source);
    expect(decoded.groups).toHaveLength(recording.groups.length);
    decoded.groups.forEach((g, gi) => {
      const src = recording.groups[gi]!;
      expect(g.samplingFrequency).toBe(src.samplingFrequency);
      expect(g.numberOfSamples).toBe(src.numberOfSamples);
      expect(g.originality).toBe(src.originality);
      expect(g.leads.map((l) => l.lead)).toEqual(src.channels.map((c) => c.lead));
      g.leads.forEach((lead, li) => {
        const want = src.channels[li]!.samples;
        for (let i = 0; i < want.length; i += 7) {
          if (Number.isNaN(want[i]!)) expect(Number.isNaN(lead.values[i]!)).toBe(true);
          else expect(lead.values[i]!).toBeCloseTo(want[i]!, 2);
        }
      });
    });
  });

  it('decodes 32-bit blocks, padding and an unaligned start', () => {
    const header = {
      format: 'telemed-ecg',
      version: 1,
      source: 'dicom',
      groups: [
        {
          originality: 'ORIGINAL',
          samplingFrequency: 500,
          numberOfSamples: 3,
          sampleBytes: 4,
          paddingValue: -2147483648,
          channels: [{ lead: 'II', label: 'Lead II', units: 'uV', scale: 0.5, baseline: 10, offset: 0 }],
        },
      ],
    };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const dataStart = (8 + json.length + 3) & ~3;
    const buf = new ArrayBuffer(dataStart + 12);
    const bytes = new Uint8Array(buf);
    bytes.set(new TextEncoder().encode('TECG'));
    const view = new DataView(buf);
    view.setUint32(4, dataStart - 8, true);
    bytes.set(json, 8);
    bytes.fill(0x20, 8 + json.length, dataStart);
    view.setInt32(dataStart, 100000, true);
    view.setInt32(dataStart + 4, -2147483648, true);
    view.setInt32(dataStart + 8, -4, true);
    const check = (b: ArrayBuffer) => {
      const v = decodeEcgBinary(b).groups[0]!.leads[0]!.values;
      expect(v[0]).toBe(50010);
      expect(Number.isNaN(v[1]!)).toBe(true);
      expect(v[2]).toBe(8);
    };
    check(buf);
    // The same message one byte further into a larger buffer: DataView path.
    const shifted = new Uint8Array(buf.byteLength + 1);
    shifted.set(bytes, 1);
    check(shifted.buffer.slice(1));
  });

  it('refuses what is not an ECG message', () => {
    expect(() => decodeEcgBinary(new TextEncoder().encode('{"reason":"x"}').buffer)).toThrow(EcgDecodeError);
    expect(() => decodeEcgBinary(new ArrayBuffer(4))).toThrow(/too short/);
    const bad = new Uint8Array(12);
    bad.set(new TextEncoder().encode('TECG'));
    new DataView(bad.buffer).setUint32(4, 1000, true);
    expect(() => decodeEcgBinary(bad.buffer)).toThrow(/past the end/);
  });
});
