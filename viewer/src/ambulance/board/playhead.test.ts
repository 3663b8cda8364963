import { describe, expect, it } from 'vitest';
import { Playhead } from './playhead.js';

describe('playhead', () => {
  it('runs on the clock half a second behind the data, waits when it runs dry', () => {
    const p = new Playhead();
    expect(p.advance(500, 500, 0.25, 0)).toBe(250);
    expect(p.advance(500, 500, 0.25, 200)).toBe(350); // 200 ms at 500 Hz, lag at the target: 1.0×
    expect(p.advance(500, 500, 0.25, 2000)).toBe(500);
  });

  it('jumps forward after a burst instead of replaying it', () => {
    const p = new Playhead();
    p.advance(500, 500, 0.25, 0);
    expect(p.advance(10_000, 500, 0.25, 100)).toBe(10_000 - 250);
  });
});
