/** Links of the referral pages (parsed in app/routes.ts). */
export const WORKLIST_PATH = '/worklist';
export const NEW_REFERRAL_PATH = '/referrals/new';
export const referralPath = (id: string): string => `/referrals/${encodeURIComponent(id)}`;
