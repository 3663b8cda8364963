import { describe, expect, it } from 'vitest';
import { presetsFor, rangeToVoi, voiToRange } from './presets.js';
import { isWaveformSopClass, seriesKind } from './sopClasses.js';

describe('window presets', () => {
  it('has the usual CT windows and none for uncalibrated modalities', () => {
    const ct = presetsFor('ct');
    expect(ct.find((p) => p.name === 'brain')).toMatchObject({ windowWidth: 80, windowCenter: 40 });
    expect(ct.find((p) => p.name === 'lung')).toMatchObject({ windowWidth: 1500, windowCenter: -600 });
    expect(ct.find((p) => p.name === 'bone')).toMatchObject({ windowWidth: 2000, windowCenter: 300 });
    expect(presetsFor('US')).toEqual([]);
    expect(presetsFor(undefined)).toEqual([]);
  });

  it('converts between VOI and range both ways', () => {
    expect(voiToRange({ windowCenter: 40, windowWidth: 80 })).toEqual({ lower: 0, upper: 80 });
    expect(rangeToVoi({ lower: -1350, upper: 150 })).toEqual({ windowCenter: -600, windowWidth: 1500 });
  });
});

describe('series kinds', () => {
  it('sends waveforms to the ECG viewer and keeps images', () => {
    expect(isWaveformSopClass('1.2.840.10008.5.1.4.1.1.9.1.1')).toBe(true);
    expect(isWaveformSopClass('1.2.840.10008.5.1.4.1.1.2')).toBe(false);
    expect(seriesKind('ECG', undefined)).toBe('waveform');
    expect(seriesKind('CT', '1.2.840.10008.5.1.4.1.1.2')).toBe('image');
    expect(seriesKind('SR', '1.2.840.10008.5.1.4.1.1.88.11')).toBe('other');
  });
});
