import { describe, expect, it } from 'vitest';
import { CAMERA_SIMULCAST_ENCODINGS, preferredSpatialLayer } from './layers.js';

describe('preferredSpatialLayer', () => {
  it('gives the only remote camera the full layer, however small its tile', () => {
    expect(preferredSpatialLayer({ width: 160, height: 90 }, 1)).toBe(2);
    expect(preferredSpatialLayer({ width: 160, height: 90 }, 0)).toBe(2);
  });

  it('picks the layer from the height the picture is drawn at', () => {
    expect(preferredSpatialLayer({ width: 320, height: 180 }, 4)).toBe(0);
    expect(preferredSpatialLayer({ width: 560, height: 315 }, 4)).toBe(1);
    expect(preferredSpatialLayer({ width: 1280, height: 720 }, 4)).toBe(2);
  });

  it('counts a wide, short tile by its letterboxed 16:9 picture', () => {
    // 1200 px wide but only 150 px high: the picture is 150 px high.
    expect(preferredSpatialLayer({ width: 1200, height: 150 }, 3)).toBe(0);
    // 300 px wide and tall: the picture is 300 × 9/16 ≈ 169 px high.
    expect(preferredSpatialLayer({ width: 300, height: 900 }, 3)).toBe(0);
  });

  it('asks for more pixels on high-density screens', () => {
    expect(preferredSpatialLayer({ width: 320, height: 180 }, 3, 2)).toBe(1);
    expect(preferredSpatialLayer({ width: 560, height: 315 }, 3, 2)).toBe(2);
  });
});

describe('camera simulcast encodings', () => {
  it('go from low to full resolution with rising bitrates', () => {
    expect(CAMERA_SIMULCAST_ENCODINGS.map((e) => e.scaleResolutionDownBy)).toEqual([4, 2, 1]);
    const rates = CAMERA_SIMULCAST_ENCODINGS.map((e) => e.maxBitrate ?? 0);
    expect([...rates].sort((a, b) => a - b)).toEqual(rates);
  });
});
