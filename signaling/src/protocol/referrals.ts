import { z } from 'zod';
import { DicomUidSchema } from './http.js';

// Referrals (consult requests) and their reports: HTTP bodies and the `referralUpdated` notification.
// A referral goes up (clinic → hospital specialist) or down (hospital → back to the clinic).

export const Urgencies = ['routine', 'urgent', 'emergency'] as const;
export const UrgencySchema = z.enum(Urgencies);
export type Urgency = z.infer<typeof UrgencySchema>;

export const ReferralDirections = ['up', 'down'] as const;
export const ReferralDirectionSchema = z.enum(ReferralDirections);
export type ReferralDirection = z.infer<typeof ReferralDirectionSchema>;

export const ReferralStatuses = [
  'requested',
  'claimed',
  'in-report',
  'reported',
  'completed',
  'declined',
  'cancelled',
] as const;
export const ReferralStatusSchema = z.enum(ReferralStatuses);
export type ReferralStatus = z.infer<typeof ReferralStatusSchema>;

/** What a user may ask of a referral; the server decides whether they may (referrals/transitions.ts). */
export const ReferralActions = ['claim', 'decline', 'cancel', 'complete'] as const;
export const ReferralActionSchema = z.enum(ReferralActions);
export type ReferralAction = z.infer<typeof ReferralActionSchema>;

const id = z.string().min(1).max(64);

/** `POST /api/referrals` */
export const CreateReferralRequestSchema = z
  .object({
    studyInstanceUid: DicomUidSchema,
    clinicalQuestion: z.string().trim().min(1).max(2000),
    urgency: UrgencySchema,
    direction: ReferralDirectionSchema.default('up'),
    /** The institution asked (a hospital for an up-referral, a clinic for a down-referral). */
    targetInstitutionId: id,
    targetDepartment: z.string().trim().max(64).optional(),
    /** A named specialist (or clinician, going down); otherwise anyone suitable at the target. */
    targetUserId: id.optional(),
    /** A down-referral answers an earlier up-referral. */
    parentId: id.optional(),
    /** Modality shown in worklists (from QIDO); the server does not trust it for access. */
    modality: z.string().trim().max(16).optional(),
  })
  .strict();
export type CreateReferralRequest = z.input<typeof CreateReferralRequestSchema>;

/** `POST /api/referrals/:id/{claim,decline,cancel,complete}` */
export const ReferralActionRequestSchema = z
  .object({ reason: z.string().trim().max(500).optional() })
  .strict();
export type ReferralActionRequest = z.infer<typeof ReferralActionRequestSchema>;

/** `GET /api/referrals?view=mine|worklist&status=&urgency=&modality=` */
export const ReferralQuerySchema = z
  .object({
    view: z.enum(['mine', 'worklist']).default('mine'),
    status: ReferralStatusSchema.optional(),
    urgency: UrgencySchema.optional(),
    modality: z.string().trim().min(1).max(16).optional(),
  })
  .strict();
export type ReferralQuery = z.input<typeof ReferralQuerySchema>;

export interface Referral {
  id: string;
  studyInstanceUid: string;
  modality?: string;
  clinicalQuestion: string;
  urgency: Urgency;
  direction: ReferralDirection;
  status: ReferralStatus;
  referrer: { id: string; displayName: string; institutionId: string; institutionName: string };
  targetInstitutionId: string;
  targetInstitutionName: string;
  targetDepartment?: string;
  targetUserId?: string;
  claimedBy?: { id: string; displayName: string };
  parentId?: string;
  /** Why it was declined or cancelled. */
  reason?: string;
  createdAt: string;
  updatedAt: string;
  /** Set when a report exists: its state, for lists. */
  report?: { status: ReportStatus; signedAt?: string };
}

export interface ReferralsResponse {
  referrals: Referral[];
}

export interface ReferralDetailResponse {
  referral: Referral;
  report: Report | null;
}

// ---- reports ----

export const ReportStatuses = ['draft', 'signed'] as const;
export type ReportStatus = (typeof ReportStatuses)[number];

/** Structured fields per modality: keys and values are short text (e.g. CT `contrast`, ECG `qtMs`). */
export const StructuredFieldsSchema = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/), z.string().trim().max(200))
  .refine((r) => Object.keys(r).length <= 30, 'at most 30 structured fields');

/** `PUT /api/referrals/:id/report`: the draft, saved whole (autosave). */
export const ReportDraftSchema = z
  .object({
    findings: z.string().max(20_000).default(''),
    impression: z.string().max(5_000).default(''),
    fields: StructuredFieldsSchema.default({}),
  })
  .strict();
export type ReportDraft = z.input<typeof ReportDraftSchema>;

/** `POST /api/referrals/:id/report/addenda`: a correction or addition to a signed report (signed at once). */
export const AddendumRequestSchema = z.object({ text: z.string().trim().min(1).max(5_000) }).strict();
export type AddendumRequest = z.infer<typeof AddendumRequestSchema>;

export interface Signature {
  userId: string;
  displayName: string;
  institutionName: string;
  signedAt: string;
  /** sha256 (hex) over the canonical JSON of what was signed. */
  contentHash: string;
}

export interface Addendum {
  id: string;
  text: string;
  signature: Signature;
  /** The SOP Instance UID of its DICOM SR, once stored. */
  srSopInstanceUid?: string;
}

export interface Report {
  id: string;
  referralId: string;
  status: ReportStatus;
  findings: string;
  impression: string;
  fields: Record<string, string>;
  modality?: string;
  authorId: string;
  updatedAt: string;
  signature?: Signature;
  /** DICOM copies stored back to the study after signing. */
  dicom?: { srSopInstanceUid?: string; pdfSopInstanceUid?: string; error?: string };
  addenda: Addendum[];
}

/** `referralUpdated` notification: sent to everyone concerned with the referral, on every node. */
export interface ReferralUpdated {
  referral: Referral;
  /** What happened, e.g. 'created', 'claimed', 'signed', 'addendum'. */
  event: ReferralEvent;
}
export type ReferralEvent =
  'created' | 'claimed' | 'declined' | 'cancelled' | 'completed' | 'draft' | 'signed' | 'addendum';

// ---- structured report fields per modality ----

export interface StructuredFieldDef {
  key: string;
  kind: 'text' | 'number' | 'select';
  unit?: string;
  options?: readonly string[];
}

const region: StructuredFieldDef = { key: 'region', kind: 'text' };

/** The report editor's structured fields, by DICOM modality; labels live in the i18n catalogues. */
export const STRUCTURED_FIELDS: Readonly<Record<string, readonly StructuredFieldDef[]>> = {
  CT: [
    { key: 'contrast', kind: 'select', options: ['none', 'iv', 'oral', 'ivOral'] },
    region,
    { key: 'sliceMm', kind: 'number', unit: 'mm' },
  ],
  MR: [
    { key: 'contrast', kind: 'select', options: ['none', 'gadolinium'] },
    region,
    { key: 'sequences', kind: 'text' },
  ],
  CR: [{ key: 'projection', kind: 'select', options: ['pa', 'ap', 'lateral', 'oblique'] }, region],
  DX: [{ key: 'projection', kind: 'select', options: ['pa', 'ap', 'lateral', 'oblique'] }, region],
  US: [region, { key: 'probe', kind: 'select', options: ['linear', 'convex', 'phased'] }],
  ECG: [
    { key: 'rhythm', kind: 'text' },
    { key: 'rateBpm', kind: 'number', unit: 'bpm' },
    { key: 'prMs', kind: 'number', unit: 'ms' },
    { key: 'qrsMs', kind: 'number', unit: 'ms' },
    { key: 'qtMs', kind: 'number', unit: 'ms' },
    { key: 'qtcMs', kind: 'number', unit: 'ms' },
    { key: 'axisDeg', kind: 'number', unit: '°' },
  ],
};

export function structuredFieldsFor(modality: string | undefined): readonly StructuredFieldDef[] {
  return STRUCTURED_FIELDS[(modality ?? '').toUpperCase()] ?? [region];
}

/** Why these fields do not fit the modality's catalogue, or null when they do. */
export function structuredFieldsProblem(
  modality: string | undefined,
  fields: Record<string, string>,
): string | null {
  const defs = structuredFieldsFor(modality);
  for (const [key, value] of Object.entries(fields)) {
    const def = defs.find((d) => d.key === key);
    if (!def) return `fields.${key}: not a field of a ${modality ?? 'generic'} report`;
    if (value === '') continue;
    if (def.kind === 'number' && !/^-?\d{1,5}(\.\d{1,2})?$/.test(value)) return `fields.${key}: not a number`;
    if (def.kind === 'select' && !def.options?.includes(value))
      return `fields.${key}: not one of the choices`;
  }
  return null;
}
