/** The shell's navigation: pages other features own; a path no route knows yet falls back to the lobby. */
export interface NavItem {
  path: string;
  labelKey: string;
  testId: string;
  /** Also active under these prefixes (the study viewer belongs to Studies). */
  prefixes: string[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', labelKey: 'shell.navLobby', testId: 'nav-lobby', prefixes: ['/rooms/'] },
  { path: '/studies', labelKey: 'shell.navStudies', testId: 'nav-studies', prefixes: ['/studies/'] },
  { path: '/worklist', labelKey: 'shell.navWorklist', testId: 'nav-worklist', prefixes: ['/worklist/'] },
  { path: '/upload', labelKey: 'shell.navUpload', testId: 'nav-upload', prefixes: ['/upload/'] },
  // An ECG opened after its import still sits under ECG import.
  { path: '/ecg/import', labelKey: 'shell.navEcgImport', testId: 'nav-ecg-import', prefixes: ['/ecg/'] },
];

/** The item a path belongs to: its own page, else the section it sits under. */
export function activeNavItem(path: string): NavItem | undefined {
  const clean = path.replace(/\/+$/, '') || '/';
  const exact = NAV_ITEMS.find((item) => item.path === clean);
  if (exact) return exact;
  return NAV_ITEMS.find((item) => item.prefixes.some((p) => path.startsWith(p)));
}
