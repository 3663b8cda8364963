import { describe, expect, it } from 'vitest';
import { activeNavItem, NAV_ITEMS } from './nav.js';

describe('navigation', () => {
  it('links the lobby, studies, worklist, upload and ECG import', () => {
    expect(NAV_ITEMS.map((i) => i.path)).toEqual(['/', '/studies', '/worklist', '/upload', '/ecg/import']);
  });

  it('marks the section a page belongs to', () => {
    expect(activeNavItem('/')?.testId).toBe('nav-lobby');
    expect(activeNavItem('/rooms/abc')?.testId).toBe('nav-lobby');
    expect(activeNavItem('/studies')?.testId).toBe('nav-studies');
    expect(activeNavItem('/studies/1.2.3/')?.testId).toBe('nav-studies');
    expect(activeNavItem('/worklist/')?.testId).toBe('nav-worklist');
    expect(activeNavItem('/ecg/import')?.testId).toBe('nav-ecg-import');
    expect(activeNavItem('/ecg/1.2.3/')?.testId).toBe('nav-ecg-import');
    expect(activeNavItem('/admin')).toBeUndefined();
  });
});
