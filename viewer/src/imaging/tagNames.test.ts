import { describe, expect, it } from 'vitest';
import { formatTag, tagRows } from './tagNames.js';

describe('tag browser rows', () => {
  const ds = {
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
    '00280030': { vr: 'DS', Value: [0.5, 0.5] },
    '7FE00010': { vr: 'OW', BulkDataURI: 'http://x/bulk' },
    '00081140': { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: ['1.2.3'] } }] },
  };

  it('lists every attribute with name and value, sequences indented', () => {
    const rows = tagRows(ds);
    expect(rows.map((r) => r.tag)).toEqual(['00081140', '00081155', '00100010', '00280030', '7FE00010']);
    expect(rows.find((r) => r.tag === '00280030')).toMatchObject({ name: 'PixelSpacing', value: '0.5\\0.5' });
    expect(rows.find((r) => r.tag === '00081155')?.depth).toBe(1);
    expect(rows.find((r) => r.tag === '7FE00010')?.value).toBe('[bulk data]');
  });

  it('filters by name, tag (with or without punctuation) and value, keeping parents of matches', () => {
    expect(tagRows(ds, 'pixelspacing').map((r) => r.tag)).toEqual(['00280030']);
    expect(tagRows(ds, '(0010,0010)').map((r) => r.tag)).toEqual(['00100010']);
    expect(tagRows(ds, 'jane').map((r) => r.tag)).toEqual(['00100010']);
    expect(tagRows(ds, '1.2.3').map((r) => r.tag)).toEqual(['00081140', '00081155']);
    expect(formatTag('00100010')).toBe('(0010,0010)');
  });
});
