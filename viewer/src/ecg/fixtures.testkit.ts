// Test helper: the ECG fixtures read by the bridge's own importers, for unit tests of the viewer's
// pure modules. The bridge and node:fs are loaded through computed specifiers so the viewer's
// type-check (browser lib, no node types) never follows them; vitest resolves them at run time.
import type { EcgWaveforms } from './types.js';

interface BridgeChannel {
  lead: string;
  label: string;
  units: string;
  samples: Float32Array;
}
interface BridgeGroup {
  label?: string;
  originality: 'ORIGINAL' | 'DERIVED';
  samplingFrequency: number;
  numberOfSamples: number;
  channels: BridgeChannel[];
}
interface BridgeRecording {
  source: EcgWaveforms['source'];
  groups: BridgeGroup[];
}
export interface BridgeEcg {
  readDicomEcg(bytes: Uint8Array): { recording: BridgeRecording };
  readEcgFile(bytes: Uint8Array): { imported: { recording: BridgeRecording } };
  encodeEcgBinary(recording: BridgeRecording): Uint8Array;
}

const root = new URL('../../../', import.meta.url);

export async function loadBridgeEcg(): Promise<BridgeEcg> {
  const spec = new URL('pacs-bridge/src/ecg/index.ts', root).pathname;
  return (await import(/* @vite-ignore */ spec)) as BridgeEcg;
}

export const ECG_FIXTURES = [
  'dicom-waveform/wave_dfl.dcm',
  'dicom-waveform/waveform_ecg.dcm',
  'hl7-aecg/Example_aECG.xml',
  'scp-ecg/Example.scp',
] as const;

export async function readFixture(name: string): Promise<Uint8Array> {
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as { readFile(p: string): Promise<Uint8Array> };
  return fs.readFile(new URL(`test/fixtures/ecg/${name}`, root).pathname);
}

export async function fixtureRecording(bridge: BridgeEcg, name: string): Promise<BridgeRecording> {
  const bytes = await readFixture(name);
  return name.endsWith('.dcm')
    ? bridge.readDicomEcg(bytes).recording
    : bridge.readEcgFile(bytes).imported.recording;
}
