import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EcgPlayer } from './ecg-player.js';
import { RPeakDetector } from './r-peaks.js';
import { ScenarioModel } from './scenario.js';
import { STANDARD_LEADS } from '@telemed/pacs-bridge/ecg-wire';

const WFDB = fileURLToPath(new URL('../../../test/fixtures/ecg/wfdb/', import.meta.url));

describe('EcgPlayer + RPeakDetector', () => {
  it('plays PTB s0010_re as the 12 standard leads at 500 Hz and finds a plausible heart rate', async () => {
    const player = await EcgPlayer.load(`${WFDB}ptbdb-s0010_re/s0010_re.hea`);
    expect(player.leads).toEqual([...STANDARD_LEADS]);
    expect(player.lengthSamples).toBe(19_200); // 38.4 s at 500 Hz
    const chunk = player.next(125);
    expect(chunk.data).toHaveLength(12 * 125);
    // First sample of lead I: −489 ADC / 2000 per mV = −244.5 µV (the resampler keeps the level).
    expect(Math.abs(chunk.data[0]! + 244)).toBeLessThan(30);
    const hr = player.recordedHeartRate()!;
    expect(hr).toBeGreaterThan(45);
    expect(hr).toBeLessThan(110);
  });

  it('MIT-BIH 100 (2273 beats in 30 min ≈ 76/min): the detector counts its rate; faster playback raises it', async () => {
    const player = await EcgPlayer.load(`${WFDB}mitdb-100/100.hea`);
    expect(player.leads).toEqual(['MLII', 'V5']);
    const detector = new RPeakDetector(500);
    let beats = 0;
    for (let i = 0; i < 4 * 60; i++) beats += detector.push(player.next(125).data.subarray(0, 125)).length;
    // 60 s of record 100 hold 73–76 beats (its rate is steady sinus rhythm).
    expect(beats).toBeGreaterThanOrEqual(70);
    expect(beats).toBeLessThanOrEqual(78);
    expect(detector.heartRate()).toBeGreaterThan(65);
    expect(detector.heartRate()).toBeLessThan(90);
    const model = new ScenarioModel('tachy', 1, detector.heartRate()!);
    for (let i = 0; i < 4 * 20; i++)
      detector.push(player.next(125, model.playRate(60)).data.subarray(0, 125));
    expect(detector.heartRate()).toBeGreaterThan(135);
  });

  it('scenarios cross their alarm thresholds', () => {
    const hypoxia = new ScenarioModel('hypoxia', 7, 75);
    expect(hypoxia.at(5).spo2).toBeGreaterThanOrEqual(94);
    expect(hypoxia.at(60).spo2).toBeLessThan(90);
    const hypotension = new ScenarioModel('hypotension', 7, 75);
    expect(hypotension.at(0).sys).toBeGreaterThan(110);
    expect(hypotension.at(60).sys).toBeLessThan(90);
    const stable = new ScenarioModel('stable', 7, 75);
    for (let t = 0; t < 600; t += 17) expect(stable.at(t).spo2).toBeGreaterThanOrEqual(95);
  });
});
