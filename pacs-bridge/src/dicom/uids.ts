// UID syntax (PS3.5 9.1): UIDs become directory and file names in the embedded store and path
// segments in DICOMweb URLs, so only the strict form is accepted — digits and dots, at most 64
// characters, no empty components and no leading zeros. That leaves no room for `..`, `/` or NUL.

const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

export function isValidUid(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64 && UID_PATTERN.test(value);
}

/** Why a UID is not acceptable, in words; undefined if it is fine. */
export function uidProblem(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return 'is missing';
  if (value.length > 64) return `is ${value.length} characters long (at most 64)`;
  if (!/^[0-9.]+$/.test(value)) return 'contains characters other than digits and dots';
  if (value.split('.').some((c) => c === '')) return 'has an empty component';
  if (!UID_PATTERN.test(value)) return 'has a component with a leading zero';
  return undefined;
}
