// How an ingest result is told to a C-STORE SCU (PS3.4 B.2.3, PS3.7 C). Clinics' modalities show
// the error comment to the operator, so it carries the reason in words but never patient data:
// reasons from the validator name tags and UIDs only.
import type { IngestResult } from '../api.js';
import { Status } from './lib.js';

export interface StoreAnswer {
  status: number;
  comment: string;
}

/** DIMSE Error Comment (0000,0902) is an LO: 64 characters at most. */
const comment = (s: string): string => s.replace(/[\\\r\n]/g, ' ').slice(0, 64);

export function storeAnswer(result: IngestResult): StoreAnswer {
  switch (result.status) {
    case 'stored':
    case 'duplicate':
      // Re-sending an instance we already hold, byte for byte, is a success: modalities retry.
      return { status: Status.Success, comment: '' };
    case 'conflict':
      return { status: Status.DuplicateSopInstance, comment: comment(`conflict: ${result.reason}`) };
    case 'denied':
      return { status: Status.NotAuthorized, comment: comment(`denied: ${result.reason}`) };
    case 'invalid':
      return {
        status: /sop class/i.test(result.reason)
          ? Status.DataSetDoesNotMatchSopClass
          : Status.CannotUnderstand,
        comment: comment(result.reason),
      };
  }
}
