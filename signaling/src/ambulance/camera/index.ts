export {
  AmbulanceCameras,
  mayOperateCamera,
  DEFAULT_CAMERA_LEASE_MS,
  MAX_CAMERAS_PER_RUN,
  type AmbulanceCamerasDeps,
  type RunLookup,
} from './ambulance-cameras.js';
export { CameraDevice } from './camera-device.js';
export { IngestFlow, stallAfterMs, DEFAULT_STALL_MS, MAX_STALL_MS, type FlowState } from './ingest-flow.js';
