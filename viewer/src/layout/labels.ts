import type { Role } from '@telemed/signaling/protocol';

const ROLE_LABELS: Record<Role, string> = {
  specialist: 'Specialist',
  clinician: 'Clinician',
  ambulance: 'Ambulance crew',
  admin: 'Administrator',
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role] ?? role;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}
