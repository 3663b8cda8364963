import type { Institution, Role } from '@telemed/signaling/protocol';
import { t } from '../i18n/index.js';
import './messages.js';

const ROLE_KEYS: Record<Role, string> = {
  specialist: 'shell.roleSpecialist',
  clinician: 'shell.roleClinician',
  ambulance: 'shell.roleAmbulance',
  admin: 'shell.roleAdmin',
};

const KIND_KEYS: Record<Institution['kind'], string> = {
  hospital: 'shell.kindHospital',
  clinic: 'shell.kindClinic',
  'ambulance-service': 'shell.kindAmbulanceService',
};

/** In the current language; call during render (components re-render through useI18n on a switch). */
export function roleLabel(role: Role): string {
  const key = ROLE_KEYS[role];
  return key ? t(key) : role;
}

export function institutionKindLabel(kind: Institution['kind']): string {
  const key = KIND_KEYS[kind];
  return key ? t(key) : kind;
}
