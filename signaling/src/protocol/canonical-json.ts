// The one canonical JSON of the platform: object keys sorted, undefined members left out (as
// JSON.stringify does), no whitespace. A signed report's content hash and the exactly-once check of
// resent telemetry both depend on two serialisations of the same value being the same string.
// Browser-safe.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
