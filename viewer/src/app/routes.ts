/** The app's pages, from the URL path (the server answers index.html for all of them). */
export type Route =
  | { name: 'home' }
  | { name: 'room'; roomId: string }
  | { name: 'study'; studyUid: string }
  | { name: 'studies' }
  | { name: 'upload' }
  | { name: 'ecg'; sopInstanceUid: string }
  | { name: 'ecgImport' }
  | { name: 'referrals'; view: 'worklist' | 'new' | 'detail'; referralId?: string }
  | { name: 'ambulanceHospital'; view: 'board' }
  | { name: 'ambulanceHospital'; view: 'handover'; runId: string }
  | { name: 'ambulanceCrew'; runId?: string }
  | { name: 'unknown' };

export function parseRoute(path: string): Route {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/') return { name: 'home' };
  const room = /^\/rooms\/([^/]+)$/.exec(clean);
  if (room?.[1]) {
    try {
      return { name: 'room', roomId: decodeURIComponent(room[1]) };
    } catch {
      return { name: 'unknown' };
    }
  }
  if (clean === '/worklist') return { name: 'referrals', view: 'worklist' };
  const referral = /^\/referrals\/([^/]+)$/.exec(clean);
  if (referral?.[1]) {
    if (referral[1] === 'new') return { name: 'referrals', view: 'new' };
    try {
      return { name: 'referrals', view: 'detail', referralId: decodeURIComponent(referral[1]) };
    } catch {
      return { name: 'unknown' };
    }
  }
  if (clean === '/ambulance/crew') return { name: 'ambulanceCrew' };
  const crewRun = /^\/ambulance\/crew\/runs\/([^/]+)$/.exec(clean);
  if (crewRun?.[1]) {
    try {
      return { name: 'ambulanceCrew', runId: decodeURIComponent(crewRun[1]) };
    } catch {
      return { name: 'unknown' };
    }
  }
  if (clean === '/ambulance/board') return { name: 'ambulanceHospital', view: 'board' };
  const handover = /^\/ambulance\/runs\/([^/]+)\/handover$/.exec(clean);
  if (handover?.[1]) {
    try {
      return { name: 'ambulanceHospital', view: 'handover', runId: decodeURIComponent(handover[1]) };
    } catch {
      return { name: 'unknown' };
    }
  }
  if (clean === '/studies') return { name: 'studies' };
  if (clean === '/upload') return { name: 'upload' };
  if (clean === '/ecg/import') return { name: 'ecgImport' };
  const ecg = /^\/ecg\/([^/]+)$/.exec(clean);
  if (ecg?.[1]) {
    try {
      return { name: 'ecg', sopInstanceUid: decodeURIComponent(ecg[1]) };
    } catch {
      return { name: 'unknown' };
    }
  }
  const study = /^\/studies\/([^/]+)$/.exec(clean);
  if (study?.[1]) {
    try {
      return { name: 'study', studyUid: decodeURIComponent(study[1]) };
    } catch {
      return { name: 'unknown' };
    }
  }
  return { name: 'unknown' };
}

/**
 * The viewer's link for a study. The trailing slash matters: the server answers `index.html` only when
 * the last path segment has no dot (otherwise it is taken for a file), and every DICOM UID has dots, so
 * `/studies/1.2.3` works inside the app but 404s on a reload or a shared link; `/studies/1.2.3/` works
 * both ways (parseRoute ignores the slash).
 */
export function studyPath(studyUid: string): string {
  return `/studies/${encodeURIComponent(studyUid)}/`;
}

export function roomPath(roomId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}`;
}

/** The ECG page of a waveform instance; trailing slash for the same reason as studyPath. */
export function ecgPath(sopInstanceUid: string): string {
  return `/ecg/${encodeURIComponent(sopInstanceUid)}/`;
}
