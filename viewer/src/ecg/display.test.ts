import { describe, expect, it } from 'vitest';
import { backingScale, CSS_PX_PER_MM } from './display.js';

describe('physical size and backing store', () => {
  it('1 mm is 96/25.4 CSS px (the CSS inch)', () => {
    expect(CSS_PX_PER_MM * 25.4).toBeCloseTo(96, 9);
  });

  it('follows the device pixel ratio and never goes below 1', () => {
    expect(backingScale(1000, 500, 2)).toBe(2);
    expect(backingScale(1000, 500, 0.5)).toBe(1);
  });

  it('shrinks when the canvas would exceed the browser limits', () => {
    const s = backingScale(8000, 2000, 4);
    expect(8000 * s).toBeLessThanOrEqual(16_384);
    expect(8000 * s * 2000 * s).toBeLessThanOrEqual(64 * 1024 * 1024);
  });
});
