// The demo institutions and accounts seeded on the first start of a development installation, so a
// fresh checkout can be tried at once (README "Quick start"). Never in production.
import type { GeoPoint, Institution, Role } from '../protocol/index.js';
import type { Db } from '../db/database.js';
import { AccountsRepository } from './accounts-repository.js';
import { hashPassword } from './passwords.js';

export const DEMO_INSTITUTIONS: readonly Institution[] = [
  { id: 'county-hospital', name: "County People's Hospital", kind: 'hospital' },
  { id: 'township-clinic', name: 'Riverside Township Health Center', kind: 'clinic' },
];

/** Where the demo institutions are (a county town in Zhejiang and a township up the valley). */
export const DEMO_INSTITUTION_LOCATIONS: Readonly<Record<string, GeoPoint>> = {
  'county-hospital': { lat: 29.7932, lon: 119.6853 },
  'township-clinic': { lat: 29.7031, lon: 119.5602 },
};

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  institutionId: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'dr.wang', displayName: 'Dr. Wang Li', role: 'specialist', institutionId: 'county-hospital' },
  { username: 'dr.chen', displayName: 'Dr. Chen Yu', role: 'specialist', institutionId: 'county-hospital' },
  { username: 'admin', displayName: 'Admin', role: 'admin', institutionId: 'county-hospital' },
  { username: 'nurse.zhao', displayName: 'Zhao Min', role: 'clinician', institutionId: 'township-clinic' },
  { username: 'dr.liu', displayName: 'Dr. Liu Fang', role: 'clinician', institutionId: 'township-clinic' },
  {
    username: 'amb.sun',
    displayName: 'Ambulance 12 (Sun Jie)',
    role: 'ambulance',
    institutionId: 'township-clinic',
  },
];

/**
 * Seeds the demo data if the database has no users yet. Returns whether it did. Safe when two
 * processes share the database: the check and the inserts are one write transaction.
 */
export async function seedDemoAccounts(db: Db, password: string): Promise<boolean> {
  const accounts = new AccountsRepository(db);
  if (accounts.countUsers() > 0) return false;
  // Hash outside the transaction (async); each account gets its own salt.
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(password)));
  const seed = db.transaction(() => {
    if (accounts.countUsers() > 0) return false;
    for (const inst of DEMO_INSTITUTIONS) {
      accounts.upsertInstitution(inst);
      accounts.setInstitutionLocation(inst.id, DEMO_INSTITUTION_LOCATIONS[inst.id] ?? null);
    }
    DEMO_ACCOUNTS.forEach((a, i) => accounts.createUser({ ...a, passwordHash: hashes[i]! }));
    return true;
  });
  return seed.immediate();
}
