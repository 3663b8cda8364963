// Which presentation contexts the SCP accepts. Storage contexts keep the sender's transfer syntax
// as proposed (first one we know, in the sender's order): we never transcode, so what the modality
// sends is what the PACS keeps and what the viewer later gets back.
import { transferSyntax, EXPLICIT_VR_LE, IMPLICIT_VR_LE } from '../dicom/transfer-syntaxes.js';
import { constants, type Association } from './lib.js';

export const VERIFICATION = '1.2.840.10008.1.1';
export const PATIENT_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.1.1';
export const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
/** Every storage SOP class lives under this root (PS3.4 B.5); anything else is not storage. */
const STORAGE_ROOT = '1.2.840.10008.5.1.4.1.1.';

export const isStorageSopClass = (uid: string): boolean => uid.startsWith(STORAGE_ROOT);
const isFind = (uid: string): boolean => uid === PATIENT_ROOT_FIND || uid === STUDY_ROOT_FIND;

export function negotiate(
  association: Association,
  opts: { allowFind: boolean; allowStore: boolean },
): number {
  const { PresentationContextResult } = constants;
  let accepted = 0;
  for (const { id } of association.getPresentationContexts()) {
    const context = association.getPresentationContext(id);
    const abstract = context.getAbstractSyntaxUid();
    const proposed = context.getTransferSyntaxUids();
    let wanted: (uid: string) => boolean;
    if (abstract === VERIFICATION || (opts.allowFind && isFind(abstract))) {
      // Commands and identifiers: plain little endian only; we parse these ourselves.
      wanted = (uid) => uid === EXPLICIT_VR_LE || uid === IMPLICIT_VR_LE;
    } else if (opts.allowStore && isStorageSopClass(abstract)) {
      wanted = (uid) => transferSyntax(uid) !== undefined;
    } else {
      context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      continue;
    }
    const choice = proposed.find(wanted);
    if (choice) {
      context.setResult(PresentationContextResult.Accept, choice);
      accepted++;
    } else {
      context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
    }
  }
  return accepted;
}
