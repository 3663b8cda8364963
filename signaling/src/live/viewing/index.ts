export {
  SharedViewing,
  sharedViewing,
  VIEWING_FEATURE,
  type SharedViewingOptions,
} from './shared-viewing.js';
export { viewingHandlers } from './handlers.js';
