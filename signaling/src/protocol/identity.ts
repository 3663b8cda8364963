import { z } from 'zod';

export const Roles = ['specialist', 'clinician', 'ambulance', 'admin'] as const;
export const RoleSchema = z.enum(Roles);
export type Role = z.infer<typeof RoleSchema>;

export const InstitutionKinds = ['hospital', 'clinic', 'ambulance-service'] as const;

export interface Institution {
  id: string;
  name: string;
  kind: (typeof InstitutionKinds)[number];
}

/** A user as others may see them (no credentials, no contact details). */
export interface UserInfo {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  institution: Institution;
}

/** Claims carried by the short-lived access token. */
export interface AccessClaims {
  sub: string;
  role: Role;
  inst: string;
  name: string;
}
