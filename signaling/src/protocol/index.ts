// The one definition of what travels between browser and server: Socket.IO requests,
// acks and notifications, and HTTP API bodies. Browser-safe (zod only, no Node APIs).
export * from './errors.js';
export * from './identity.js';
export * from './media.js';
export * from './room.js';
export * from './requests.js';
export * from './http.js';
export * from './viewing.js';
export * from './referrals.js';
export * from './ambulance.js';
export * from './ambulance-camera.js';
