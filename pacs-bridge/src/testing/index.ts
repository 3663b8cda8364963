// Test and benchmark support (`@telemed/pacs-bridge/testing`): a real Orthanc on loopback, the
// dcmtk command-line clients, free ports. Not used by the bridge at run time.
export {
  startOrthanc,
  assertOrthancInstalled,
  ORTHANC_BIN,
  DICOMWEB_PLUGIN,
  type OrthancInstance,
  type OrthancModality,
  type StartOrthancOptions,
} from './orthanc.js';
export {
  assertDcmtkInstalled,
  echoscu,
  storescu,
  findscu,
  runTool,
  parseDump,
  type DcmtkPeer,
  type StorescuResult,
  type FindscuResult,
  type ToolRun,
} from './dcmtk.js';
export { freePort } from './free-port.js';
