import type { UserInfo } from '@telemed/signaling/protocol';

/** The shell's navigation: pages other features own; a path no route knows yet falls back to the lobby. */
export interface NavItem {
  path: string;
  labelKey: string;
  testId: string;
  /** Also active under these prefixes (the study viewer belongs to Studies). */
  prefixes: string[];
  /** Shown only to these users (default: everyone). */
  visible?: (user: UserInfo) => boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', labelKey: 'shell.navLobby', testId: 'nav-lobby', prefixes: ['/rooms/'] },
  { path: '/studies', labelKey: 'shell.navStudies', testId: 'nav-studies', prefixes: ['/studies/'] },
  { path: '/worklist', labelKey: 'shell.navWorklist', testId: 'nav-worklist', prefixes: ['/worklist/'] },
  { path: '/upload', labelKey: 'shell.navUpload', testId: 'nav-upload', prefixes: ['/upload/'] },
  // An ECG opened after its import still sits under ECG import.
  { path: '/ecg/import', labelKey: 'shell.navEcgImport', testId: 'nav-ecg-import', prefixes: ['/ecg/'] },
  // The arrival board is for the receiving hospital's staff (and admins); a run's handover sits under it.
  {
    path: '/ambulance/board',
    labelKey: 'shell.navAmbulanceBoard',
    testId: 'nav-ambulance-board',
    prefixes: ['/ambulance/runs/'],
    visible: (user) => user.role === 'admin' || user.institution.kind === 'hospital',
  },
  // The crew's own page (start or continue a run, video, events); a run's screen sits under it.
  {
    path: '/ambulance/crew',
    labelKey: 'shell.navAmbulanceCrew',
    testId: 'nav-ambulance-crew',
    prefixes: ['/ambulance/crew/'],
    visible: (user) => user.role === 'ambulance',
  },
];

/** The items a user sees. */
export function navItemsFor(user: UserInfo | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.visible || (user !== undefined && item.visible(user)));
}

/** The item a path belongs to: its own page, else the section it sits under. */
export function activeNavItem(path: string): NavItem | undefined {
  const clean = path.replace(/\/+$/, '') || '/';
  const exact = NAV_ITEMS.find((item) => item.path === clean);
  if (exact) return exact;
  return NAV_ITEMS.find((item) => item.prefixes.some((p) => path.startsWith(p)));
}
