/** The app's pages, from the URL path (the server answers index.html for all of them). */
export type Route =
  | { name: 'home' }
  | { name: 'room'; roomId: string }
  | { name: 'study'; studyUid: string }
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

export function studyPath(studyUid: string): string {
  return `/studies/${encodeURIComponent(studyUid)}`;
}

export function roomPath(roomId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}`;
}
