export { SharedViewing, sharedViewing, VIEWING_FEATURE } from './shared-viewing.js';
export { viewingHandlers } from './handlers.js';
