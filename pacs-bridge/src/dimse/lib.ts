// dcmjs-dimse is a CommonJS bundle whose named exports Node cannot detect, so it is imported once
// here and re-exported with its own typings. Its logger is quieted: at `info` it prints association
// details for every connection, and at any level we never want datasets in the log.
import dimse from 'dcmjs-dimse';

export const { Client, Dataset, Scp, constants, association, requests, responses, log: dimseLog } = dimse;
export type Dataset = InstanceType<typeof dimse.Dataset>;
export type Scp = InstanceType<typeof dimse.Scp>;
export type Association = InstanceType<typeof dimse.association.Association>;
export type PresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
export type CStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
export type CFindRequest = InstanceType<typeof dimse.requests.CFindRequest>;
export type CEchoRequest = InstanceType<typeof dimse.requests.CEchoRequest>;
export type CMoveRequest = InstanceType<typeof dimse.requests.CMoveRequest>;
export type CStoreResponse = InstanceType<typeof dimse.responses.CStoreResponse>;
export type CFindResponse = InstanceType<typeof dimse.responses.CFindResponse>;
export type CEchoResponse = InstanceType<typeof dimse.responses.CEchoResponse>;
export type CMoveResponse = InstanceType<typeof dimse.responses.CMoveResponse>;

dimseLog.setLevel(process.env.TELEMED_DIMSE_LOG === 'debug' ? 'info' : 'silent');

/** DIMSE status codes we answer with (PS3.4 B.2.3, C.4.1.1.4, PS3.7 C). */
export const Status = {
  Success: 0x0000,
  Pending: 0xff00,
  /** Refused: not authorized (PS3.7 C.5.x 0x0124). */
  NotAuthorized: 0x0124,
  /** Duplicate SOP Instance with different content: we never overwrite (0x0111). */
  DuplicateSopInstance: 0x0111,
  OutOfResources: 0xa700,
  /** Error: data set does not match SOP class (used for invalid files). */
  DataSetDoesNotMatchSopClass: 0xa900,
  CannotUnderstand: 0xc000,
  /** C-FIND: identifier does not match SOP class / unable to process. */
  UnableToProcess: 0xc001,
  MoveDestinationUnknown: 0xa801,
  ProcessingFailure: 0x0110,
} as const;
