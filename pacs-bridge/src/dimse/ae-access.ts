// Who may associate with the DIMSE SCP. A production deployment lists each clinic's modality or
// PACS by AE title (optionally pinned to its address) with the institution it sends for; the
// embedded demo accepts any calling AE as the demo township clinic, as the README promises.
import type { Principal } from '../api.js';

export interface AeEntry {
  aeTitle: string;
  institutionId: string;
  /** If set, the association must come from one of these addresses (IPv4-mapped forms match). */
  addresses?: string[];
  /** 'clinician' (default) sees its institution's studies in C-FIND; 'admin' sees all. */
  role?: Principal['role'];
}

/** The demo township clinic's id, as seeded by signaling's demo accounts. */
export const DEMO_INSTITUTION_ID = 'township-clinic';

const plain = (address: string): string => address.replace(/^::ffff:/, '');

export function allowListAeAccess(
  entries: AeEntry[],
): (callingAe: string, address: string) => Principal | null {
  const byAe = new Map(entries.map((e) => [e.aeTitle.trim(), e]));
  return (callingAe, address) => {
    const entry = byAe.get(callingAe.trim());
    if (!entry) return null;
    if (entry.addresses && !entry.addresses.map(plain).includes(plain(address))) return null;
    return {
      userId: `ae:${entry.aeTitle}`,
      role: entry.role ?? 'clinician',
      institutionId: entry.institutionId,
      via: 'dimse',
      callingAe: entry.aeTitle,
      address,
    };
  };
}

export function demoAeAccess(
  institutionId = DEMO_INSTITUTION_ID,
): (callingAe: string, address: string) => Principal | null {
  return (callingAe, address) => ({
    userId: `ae:${callingAe}`,
    role: 'clinician',
    institutionId,
    via: 'dimse',
    callingAe,
    address,
  });
}
