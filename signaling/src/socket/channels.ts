// Socket.IO rooms ("channels") the gateway puts every socket in, for notifications that are not about
// a live call. With the Redis adapter they reach the user's sockets on every node.
export const userChannel = (userId: string): string => `user:${userId}`;
export const ADMINS_CHANNEL = 'role:admin';
