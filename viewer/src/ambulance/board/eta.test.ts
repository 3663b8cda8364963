import { ROAD_DETOUR_FACTOR, distanceMetres, type PositionSample } from '@telemed/signaling/protocol';
import { describe, expect, it } from 'vitest';
import { formatEtaMinutes, movingAverageSpeed, runEta } from './eta.js';
import { T0 } from './testkit.js';

const pos = (seq: number, lat: number, speedMps?: number, dt = 10_000): PositionSample => ({
  seq,
  t: T0 + seq * dt,
  lat,
  lon: 120,
  ...(speedMps === undefined ? {} : { speedMps }),
});

describe('ETA', () => {
  it('averages the reported speeds of the last two minutes', () => {
    const ps = [
      pos(1, 29.9, 30, 60_000),
      pos(2, 29.91, 10, 60_000),
      pos(3, 29.92, 14, 60_000),
      pos(4, 29.93, 0, 60_000),
    ];
    // pos 1 is 3 minutes older than the newest: out of the window.
    expect(movingAverageSpeed(ps)).toBeCloseTo((10 + 14 + 0) / 3);
  });

  it('derives the speed from distance over time when none is reported', () => {
    const ps = [pos(1, 29.9), pos(2, 29.901)];
    expect(movingAverageSpeed(ps)).toBeCloseTo(distanceMetres(ps[0]!, ps[1]!) / 10, 5);
  });

  it('keeps an ETA while stopped at a light and is unknown without position or destination', () => {
    const ps = [pos(1, 29.9, 20), pos(2, 29.91, 20), pos(3, 29.92, 0)];
    const dest = { lat: 30, lon: 120 };
    const eta = runEta(ps, dest, T0);
    const expected = Math.round((distanceMetres(ps[2]!, dest) * ROAD_DETOUR_FACTOR) / (40 / 3));
    expect(eta.seconds).toBe(expected);
    expect(eta.at).toBe(T0 + expected * 1000);
    expect(runEta([], dest, T0).seconds).toBeNull();
    expect(runEta(ps, null, T0).seconds).toBeNull();
    expect(runEta([pos(1, 29.9, 0)], dest, T0).seconds).toBeNull();
    expect(formatEtaMinutes(61)).toBe('2');
    expect(formatEtaMinutes(null)).toBeNull();
  });
});
