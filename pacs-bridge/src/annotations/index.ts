export { AnnotationSidecars, VersionConflict, type SidecarVersion } from './sidecar-store.js';
export { createAnnotationsRouter, type AnnotationsRouterDeps } from './router.js';
export { MAX_SIDECAR_ANNOTATIONS } from './validate.js';
