import { describe, expect, it } from 'vitest';
import type { UserInfo } from '@telemed/signaling/protocol';
import { activeNavItem, NAV_ITEMS, navItemsFor } from './nav.js';

const user = (role: UserInfo['role'], kind: UserInfo['institution']['kind']): UserInfo => ({
  id: 'u',
  username: 'u',
  displayName: 'U',
  role,
  institution: { id: 'i', name: 'I', kind },
});

describe('navigation', () => {
  it('links the lobby, studies, worklist, upload, ECG import, the ambulance board and the crew page', () => {
    expect(NAV_ITEMS.map((i) => i.path)).toEqual([
      '/',
      '/studies',
      '/worklist',
      '/upload',
      '/ecg/import',
      '/ambulance/board',
      '/ambulance/crew',
    ]);
  });

  it('shows the ambulance board to hospital staff and admins only', () => {
    const paths = (u: UserInfo | undefined) => navItemsFor(u).map((i) => i.path);
    expect(paths(user('specialist', 'hospital'))).toContain('/ambulance/board');
    expect(paths(user('admin', 'clinic'))).toContain('/ambulance/board');
    expect(paths(user('clinician', 'clinic'))).not.toContain('/ambulance/board');
    expect(paths(user('ambulance', 'ambulance-service'))).not.toContain('/ambulance/board');
    expect(paths(undefined)).not.toContain('/ambulance/board');
  });

  it('shows the crew page to ambulance users only', () => {
    const paths = (u: UserInfo | undefined) => navItemsFor(u).map((i) => i.path);
    expect(paths(user('ambulance', 'ambulance-service'))).toContain('/ambulance/crew');
    expect(paths(user('specialist', 'hospital'))).not.toContain('/ambulance/crew');
    expect(paths(user('admin', 'clinic'))).not.toContain('/ambulance/crew');
    expect(paths(undefined)).not.toContain('/ambulance/crew');
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
    expect(activeNavItem('/ambulance/crew')?.testId).toBe('nav-ambulance-crew');
    expect(activeNavItem('/ambulance/crew/runs/r1')?.testId).toBe('nav-ambulance-crew');
    expect(activeNavItem('/admin')).toBeUndefined();
  });
});
