import { describe, expect, it } from 'vitest';
import { measurementText, statsOf, toAnnotation } from './annotations.js';

const labels = { mean: 'mean', sd: 'SD', area: 'area' };
const imageId = 'wadors:http://h/dicomweb/studies/1.2/series/1.2.3/instances/1.2.3.4/frames/2';

describe('measurements', () => {
  it('formats what each tool measured, with units', () => {
    expect(measurementText('length', { length: 42.123, unit: 'mm' }, labels)).toBe('42.1 mm');
    expect(measurementText('angle', { angle: 87.25 }, labels)).toBe('87.3°');
    expect(
      measurementText(
        'ellipticalRoi',
        { mean: 40.21, stdDev: 12, area: 153.94, areaUnit: 'mm²', modalityUnit: 'HU' },
        labels,
      ),
    ).toBe('mean 40.2 HU, SD 12.0, area 153.9 mm²');
    expect(measurementText('probe', { value: -998, modalityUnit: 'HU' }, labels)).toBe('-998.0 HU');
    expect(measurementText('length', undefined, labels)).toBe('');
  });

  it('maps a Cornerstone annotation to the shared shape (world points, instance, frame, stats)', () => {
    const cs = {
      annotationUID: 'a-1',
      metadata: { toolName: 'Length', referencedImageId: imageId },
      data: {
        handles: {
          points: [
            [1, 2, 3],
            [4, 6, 3],
          ],
        },
        cachedStats: { [`imageId:${imageId}`]: { length: 5, unit: 'mm', pointsInShape: [1, 2] } },
      },
    };
    const a = toAnnotation(cs as never, 'u-1', '2026-01-01T00:00:00Z')!;
    expect(a).toMatchObject({
      id: 'a-1',
      kind: 'length',
      studyInstanceUid: '1.2',
      seriesInstanceUid: '1.2.3',
      sopInstanceUid: '1.2.3.4',
      frameNumber: 2,
      points: [
        [1, 2, 3],
        [4, 6, 3],
      ],
      stats: { length: 5, unit: 'mm' },
    });
    expect(statsOf({ ...cs, data: { ...cs.data, cachedStats: {} } } as never)).toBeUndefined();
    expect(toAnnotation({ ...cs, metadata: { toolName: 'Crosshairs' } } as never, 'u', 't')).toBeNull();
  });
});
