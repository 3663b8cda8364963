// Socket.IO rooms ("channels") the gateway puts every socket in, for notifications that are not about
// a live call. With the Redis adapter they reach the user's sockets on every node.
export const userChannel = (userId: string): string => `user:${userId}`;
export const ADMINS_CHANNEL = 'role:admin';
/** Every connected user of an institution (a hospital's receiving teams hear prenotifications). */
export const institutionChannel = (institutionId: string): string => `institution:${institutionId}`;
/** Arrival-board watchers of a hospital: runs bound for it. */
export const boardChannel = (institutionId: string): string => `board:${institutionId}`;
/** Arrival-board watchers who see every run (admins). */
export const BOARD_ALL_CHANNEL = 'board:*';
