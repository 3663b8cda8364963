// DICOM bridge: arrives with issue 3.
export const PACS_BRIDGE_VERSION = "0.1.0";
