// JSON form of an EcgRecording for the API (`Accept: application/json`): the model minus the raw
// integers, samples as numbers in the channel's units (µV for ECG leads), null where the source
// had padding. Values are rounded to 0.001 so float32 noise (97.60000228881836) does not bloat it.
import type { EcgChannel, EcgGroup, EcgRecording } from './model.js';

export interface EcgChannelJson extends Omit<EcgChannel, 'raw' | 'samples'> {
  samples: Array<number | null>;
}

export interface EcgGroupJson extends Omit<EcgGroup, 'channels'> {
  channels: EcgChannelJson[];
}

export interface EcgRecordingJson extends Omit<EcgRecording, 'groups'> {
  groups: EcgGroupJson[];
}

const round = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null);

export function recordingToJson(recording: EcgRecording): EcgRecordingJson {
  return {
    ...recording,
    groups: recording.groups.map((g) => ({
      ...g,
      channels: g.channels.map(({ raw: _raw, samples, ...rest }) => ({
        ...rest,
        samples: Array.from(samples, round),
      })),
    })),
  };
}
