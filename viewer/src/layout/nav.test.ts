import { describe, expect, it } from 'vitest';
import type { UserInfo } from '@telemed/signaling/protocol';
import { activeNavItem, NAV_ITEMS, navItemsFor } from './nav.js';

describe('navigation', () => {
  it('links the lobby, studies, worklist, upload, ECG import and the ambulance board', () => {
    expect(NAV_ITEMS.map((i) => i.path)).toEqual([
      '/',
      '/studies',
      '/worklist',
      '/upload',
      '/ecg/import',
      '/ambulance/board',
    ]);
  });

  it('shows the ambulance board to hospital staff and admins only', () => {
    const user = (role: UserInfo['role'], kind: UserInfo['institution']['kind']): UserInfo => ({
      id: 'u',
      username: 'u',
      displayName: 'U',
      role,
      institution: { id: 'i', name: 'I', kind },
    });
    const paths = (u: UserInfo | undefined) => navItemsFor(u).map((i) => i.path);
    expect(paths(user('specialist', 'hospital'))).toContain('/ambulance/board');
    expect(paths(user('admin', 'clinic'))).toContain('/ambulance/board');
    expect(paths(user('clinician', 'clinic'))).not.toContain('/ambulance/board');
    expect(paths(user('ambulance', 'ambulance-service'))).not.toContain('/ambulance/board');
    expect(paths(undefined)).not.toContain('/ambulance/board');
  });

  it('marks the section a page belongs to', () => {
    expect(activeNavItem('/')?.testId).toBe('nav-lobby');
    expect(activeNavItem('/rooms/abc')?.testId).toBe('nav-lobby');
    expect(activeNavItem('/studies')?.testId).toBe('nav-studies');
    expect(activeNavItem('/studies/1.2.3/')?.testId).toBe('nav-studies');
    expect(activeNavItem('/worklist/')?.testId).toBe('nav-worklist');
    expect(activeNavItem('/ecg/import')?.testId).toBe('nav-ecg-import');
    expect(activeNavItem('/ecg/1.2.3/')?.testId).toBe('nav-ecg-import');
    expect(activeNavItem('/ambulance/runs/r1/handover')?.testId).toBe('nav-ambulance-board');
    expect(activeNavItem('/admin')).toBeUndefined();
  });
});
