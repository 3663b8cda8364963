import { describe, expect, it } from 'vitest';
import { parseRoute, roomPath, studyPath } from './routes.js';

describe('parseRoute', () => {
  it('knows the lobby and the rooms', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' });
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('/rooms/abc-123')).toEqual({ name: 'room', roomId: 'abc-123' });
    expect(parseRoute('/rooms/abc-123/')).toEqual({ name: 'room', roomId: 'abc-123' });
  });

  it('round-trips room ids through the path', () => {
    for (const id of ['53ba7956-ab43-40c1-ae87-636286e31276', 'a b/c']) {
      expect(parseRoute(roomPath(id))).toEqual({ name: 'room', roomId: id });
    }
  });

  it('knows the study viewer', () => {
    expect(parseRoute('/studies/1.2.840.113619.2.1')).toEqual({
      name: 'study',
      studyUid: '1.2.840.113619.2.1',
    });
    expect(studyPath('1.2.3')).toBe('/studies/1.2.3/');
    expect(parseRoute(studyPath('1.2.3'))).toEqual({ name: 'study', studyUid: '1.2.3' });
  });

  it('knows the pages the navigation links to', () => {
    expect(parseRoute('/studies')).toEqual({ name: 'studies' });
    expect(parseRoute('/upload/')).toEqual({ name: 'upload' });
    expect(parseRoute('/ecg/import')).toEqual({ name: 'ecgImport' });
    expect(parseRoute('/ecg/1.2.3/')).toEqual({ name: 'ecg', sopInstanceUid: '1.2.3' });
  });

  it('treats anything else as unknown', () => {
    expect(parseRoute('/rooms')).toEqual({ name: 'unknown' });
    expect(parseRoute('/rooms/a/b')).toEqual({ name: 'unknown' });
    expect(parseRoute('/admin')).toEqual({ name: 'unknown' });
    expect(parseRoute('/rooms/%E0%A4%A')).toEqual({ name: 'unknown' });
  });
});
