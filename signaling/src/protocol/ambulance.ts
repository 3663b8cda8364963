// Ambulance en route (issue 5): runs (one transport of one patient to a hospital), their telemetry
// streams and the hospital's arrival board. Telemetry is store-and-forward: every sample carries a
// per-(run, stream) sequence number starting at 1; the sender keeps what the server has not
// acknowledged and sends it again after any outage, the server stores each seq once, in order, before
// it acknowledges. Browser-safe (zod only).
import { z } from 'zod';
import { IdSchema } from './media.js';

/** The four telemetry streams of a run; each has its own sequence numbers. */
export const TELEMETRY_STREAMS = ['vitals', 'position', 'event', 'ecg'] as const;
export const TelemetryStreamSchema = z.enum(TELEMETRY_STREAMS);
export type TelemetryStream = z.infer<typeof TelemetryStreamSchema>;

const finite = z.number().finite();
/** Sequence numbers start at 1; 0 means "nothing acknowledged yet". */
export const SeqSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** Device time of the sample (ms since the epoch); bounded to years 2000–2100. */
export const SampleTimeSchema = z.number().int().min(946_684_800_000).max(4_102_444_800_000);

export const VitalsSampleSchema = z
  .object({
    seq: SeqSchema,
    t: SampleTimeSchema,
    /** Heart rate, /min. */
    hr: finite.min(0).max(350).optional(),
    /** Peripheral oxygen saturation, %. */
    spo2: finite.min(0).max(100).optional(),
    /** Non-invasive blood pressure, mmHg (the last cuff measurement). */
    nibp: z
      .object({
        sys: finite.min(0).max(350),
        dia: finite.min(0).max(300),
        map: finite.min(0).max(320).optional(),
      })
      .strict()
      .optional(),
    /** Respiratory rate, /min. */
    rr: finite.min(0).max(150).optional(),
    /** End-tidal CO2, mmHg. */
    etco2: finite.min(0).max(150).optional(),
    /** Body temperature, °C. */
    tempC: finite.min(20).max(45).optional(),
  })
  .strict();
export type VitalsSample = z.infer<typeof VitalsSampleSchema>;

export const PositionSampleSchema = z
  .object({
    seq: SeqSchema,
    t: SampleTimeSchema,
    lat: finite.min(-90).max(90),
    lon: finite.min(-180).max(180),
    /** Ground speed, m/s. */
    speedMps: finite.min(0).max(120).optional(),
    headingDeg: finite.min(0).max(360).optional(),
    accuracyM: finite.min(0).max(100_000).optional(),
  })
  .strict();
export type PositionSample = z.infer<typeof PositionSampleSchema>;

export const EVENT_KINDS = ['note', 'medication', 'procedure', 'observation', 'alert'] as const;
export const MAX_EVENT_CHARS = 500;
export const EventSampleSchema = z
  .object({
    seq: SeqSchema,
    t: SampleTimeSchema,
    kind: z.enum(EVENT_KINDS),
    text: z.string().trim().min(1).max(MAX_EVENT_CHARS),
  })
  .strict();
export type EventSample = z.infer<typeof EventSampleSchema>;

/** Leads a monitor may send (the 12 standard leads, plus others a device labels itself). */
export const EcgLeadSchema = z.string().regex(/^[A-Za-z0-9+-]{1,8}$/);
export const MAX_ECG_LEADS = 16;
export const MAX_ECG_CHUNK_SAMPLES = 1000;

/**
 * A short piece of continuous ECG: `count` samples per lead from time `t` at `sampleRate` Hz, as
 * signed 16-bit little-endian integers, lead after lead (all of lead[0], then lead[1]…), base64;
 * value × `microvoltsPerUnit` = µV. Chunks of one run follow each other without gaps: chunk n+1
 * starts `count / sampleRate` s after chunk n.
 */
export const EcgChunkSchema = z
  .object({
    seq: SeqSchema,
    t: SampleTimeSchema,
    sampleRate: z.number().int().min(100).max(1000),
    leads: z.array(EcgLeadSchema).min(1).max(MAX_ECG_LEADS),
    count: z.number().int().min(1).max(MAX_ECG_CHUNK_SAMPLES),
    microvoltsPerUnit: finite.positive().max(1000),
    data: z
      .string()
      .max(Math.ceil((MAX_ECG_LEADS * MAX_ECG_CHUNK_SAMPLES * 2) / 3) * 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  })
  .strict()
  .refine((c) => base64Bytes(c.data) === c.leads.length * c.count * 2, {
    message: 'data must hold leads × count 16-bit samples',
    path: ['data'],
  });
export type EcgChunk = z.infer<typeof EcgChunkSchema>;

/** Decoded length of a base64 string (no decoding needed). */
export function base64Bytes(b64: string): number {
  if (b64.length % 4 !== 0) return -1;
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}

export interface TelemetrySamples {
  vitals: VitalsSample;
  position: PositionSample;
  event: EventSample;
  ecg: EcgChunk;
}
export type TelemetrySample = TelemetrySamples[TelemetryStream];

export const TelemetrySampleSchemas = {
  vitals: VitalsSampleSchema,
  position: PositionSampleSchema,
  event: EventSampleSchema,
  ecg: EcgChunkSchema,
} as const;

/** Samples per push; a push must also fit the 64 KB message limit (≈ 10 chunks of 12 leads × 125). */
export const MAX_PUSH_ITEMS = 200;

/**
 * `telemetry:push`: samples of one stream, ascending seq. The server stores, in one transaction,
 * those continuing its stored sequence (seq = acked + 1, acked + 2, …), ignores those it already has,
 * and stops at the first gap; it answers the highest seq now stored without gaps. The sender drops
 * everything up to that seq and sends the rest (again) from acked + 1.
 */
export const TelemetryPushSchema = z
  .object({
    runId: IdSchema,
    stream: TelemetryStreamSchema,
    items: z.array(z.unknown()).min(1).max(MAX_PUSH_ITEMS),
  })
  .strict()
  .superRefine((push, ctx) => {
    const schema = TelemetrySampleSchemas[push.stream];
    let previous = 0;
    push.items.forEach((item, i) => {
      const parsed = schema.safeParse(item);
      if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', i],
          message: parsed.error.issues[0]?.message ?? 'invalid',
        });
        return;
      }
      if (parsed.data.seq <= previous)
        ctx.addIssue({ code: 'custom', path: ['items', i, 'seq'], message: 'seq must ascend' });
      previous = parsed.data.seq;
    });
  });
export type TelemetryPush<S extends TelemetryStream = TelemetryStream> = {
  runId: string;
  stream: S;
  items: TelemetrySamples[S][];
};

/** Highest seq stored without gaps, per stream (0: none yet). */
export type StreamAcks = Record<TelemetryStream, number>;

export const RUN_CATEGORIES = ['stroke', 'chest-pain', 'trauma', 'obstetric', 'medical', 'other'] as const;
export const RunCategorySchema = z.enum(RUN_CATEGORIES);
export type RunCategory = z.infer<typeof RunCategorySchema>;

/** Receiving teams the hospital can alert before arrival. */
export const RECEIVING_TEAMS = ['stroke', 'chest-pain', 'trauma', 'obstetric'] as const;
export const ReceivingTeamSchema = z.enum(RECEIVING_TEAMS);
export type ReceivingTeam = z.infer<typeof ReceivingTeamSchema>;

export const RUN_STATUSES = ['enroute', 'arrived', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What the crew knows of the patient (often little; an unknown name stays unknown). */
export const PatientSummarySchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    sex: z.enum(['M', 'F', 'O', 'U']).optional(),
    ageYears: z.number().int().min(0).max(130).optional(),
    /** Chief complaint / working diagnosis in the crew's words. */
    complaint: z.string().trim().min(1).max(500),
    category: RunCategorySchema,
  })
  .strict();
export type PatientSummary = z.infer<typeof PatientSummarySchema>;

export const GeoPointSchema = z
  .object({ lat: finite.min(-90).max(90), lon: finite.min(-180).max(180) })
  .strict();
export type GeoPoint = z.infer<typeof GeoPointSchema>;

/** POST /api/ambulance/runs (ambulance crew or admin). */
export const CreateRunSchema = z
  .object({
    /** The vehicle's radio call sign, e.g. "120-12". */
    callsign: z.string().trim().min(1).max(40),
    /** The receiving hospital (an institution of kind hospital). */
    destinationId: IdSchema,
    patient: PatientSummarySchema,
  })
  .strict();
export type CreateRunBody = z.infer<typeof CreateRunSchema>;

export interface Prenotification {
  team: ReceivingTeam;
  byUserId: string;
  byName: string;
  at: string;
}

export interface AmbulanceRun {
  id: string;
  callsign: string;
  status: RunStatus;
  patient: PatientSummary;
  crew: { userId: string; name: string; institutionId: string };
  destination: { id: string; name: string; location: GeoPoint | null };
  /** The consult room of this run (crew video, the camera, and whoever the hospital sends in). */
  roomId: string;
  createdAt: string;
  arrivedAt: string | null;
  /** Set once the crew cancelled the run (status 'cancelled'). */
  cancellation?: { at: string; reason: string | null };
  prenotifications: Prenotification[];
  /** Highest stored seq per stream. */
  acked: StreamAcks;
  /** The newest stored sample of the slow streams, for the board's first paint. */
  latest: { vitals: VitalsSample | null; position: PositionSample | null };
}

export const MAX_CANCEL_REASON_CHARS = 200;
/** POST /api/ambulance/runs/:id/cancel (the crew or an admin, while en route); an empty reason is none. */
export const CancelRunSchema = z
  .object({ reason: z.string().trim().max(MAX_CANCEL_REASON_CHARS).optional() })
  .strict();
export type CancelRunBody = z.infer<typeof CancelRunSchema>;

/** POST /api/ambulance/runs/:id/prenotify (staff of the destination hospital). */
export const PrenotifySchema = z.object({ team: ReceivingTeamSchema }).strict();

/** Thresholds outside which a vital sign is an alarm on the board and in the handover. */
export interface AlarmThresholds {
  spo2Below: number;
  hrAbove: number;
  hrBelow: number;
  sbpBelow: number;
  rrAbove: number;
  rrBelow: number;
  etco2Above: number;
  etco2Below: number;
}
export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  spo2Below: 90,
  hrAbove: 130,
  hrBelow: 40,
  sbpBelow: 90,
  rrAbove: 30,
  rrBelow: 8,
  etco2Above: 50,
  etco2Below: 25,
};

export type AlarmKind =
  'spo2-low' | 'hr-high' | 'hr-low' | 'sbp-low' | 'rr-high' | 'rr-low' | 'etco2-high' | 'etco2-low';
export interface VitalAlarm {
  kind: AlarmKind;
  value: number;
  limit: number;
}

/** The alarms one vitals sample raises (none for absent values). */
export function vitalAlarms(v: VitalsSample, th: AlarmThresholds = DEFAULT_ALARM_THRESHOLDS): VitalAlarm[] {
  const out: VitalAlarm[] = [];
  const check = (kind: AlarmKind, value: number | undefined, limit: number, below: boolean) => {
    if (value !== undefined && (below ? value < limit : value > limit)) out.push({ kind, value, limit });
  };
  check('spo2-low', v.spo2, th.spo2Below, true);
  check('hr-high', v.hr, th.hrAbove, false);
  check('hr-low', v.hr, th.hrBelow, true);
  check('sbp-low', v.nibp?.sys, th.sbpBelow, true);
  check('rr-high', v.rr, th.rrAbove, false);
  check('rr-low', v.rr, th.rrBelow, true);
  check('etco2-high', v.etco2, th.etco2Above, false);
  check('etco2-low', v.etco2, th.etco2Below, true);
  return out;
}

/** Great-circle distance in metres. */
export function distanceMetres(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Roads are longer than the straight line; 1.3 is the usual detour index for rural China. */
export const ROAD_DETOUR_FACTOR = 1.3;
/** Below this speed (stopped at a light, loading) the last moving speed is a better guide. */
export const MIN_ETA_SPEED_MPS = 3;

/**
 * Estimated seconds to arrival from the latest position and a speed (the current one, or a recent
 * moving average when the vehicle is stopped); null when either is unknown.
 */
export function estimateEtaSeconds(
  from: GeoPoint,
  to: GeoPoint,
  speedMps: number | undefined,
): number | null {
  if (speedMps === undefined || !(speedMps >= MIN_ETA_SPEED_MPS)) return null;
  return Math.round((distanceMetres(from, to) * ROAD_DETOUR_FACTOR) / speedMps);
}

/** GET /api/ambulance/hospitals: receiving hospitals a crew may choose. */
export interface HospitalsResponse {
  hospitals: { id: string; name: string; location: GeoPoint | null }[];
}

/** GET /api/ambulance/runs/:id/telemetry/:stream */
export interface TelemetryHistory<S extends TelemetryStream = TelemetryStream> {
  items: TelemetrySamples[S][];
  acked: number;
}

/** One alarm episode of the handover: from the sample that raised it to the first one without it. */
export interface HandoverAlarm {
  kind: AlarmKind;
  limit: number;
  /** Device time of the first sample with the alarm. */
  startT: number;
  /** Device time of the first sample without it again; null while still active at arrival. */
  endT: number | null;
  /** The value furthest beyond the limit during the episode. */
  worst: number;
}

export type EcgSnapshotReason = 'start' | 'alarm' | 'end';

/** 10 s of 12-lead ECG stored in the PACS as a DICOM 12-lead ECG instance (open it at /ecg/<sop>). */
export interface EcgSnapshot {
  reason: EcgSnapshotReason;
  /** The alarm whose onset this snapshot shows (reason 'alarm'). */
  alarm?: AlarmKind;
  /** Device time of the first sample and the length shown. */
  t: number;
  durationS: number;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

/** The handover summary, built and saved to the record when the run arrives. */
export interface Handover {
  runId: string;
  callsign: string;
  patient: PatientSummary;
  destination: { id: string; name: string };
  createdAt: string;
  arrivedAt: string;
  /** Vitals timeline, at most one sample per 30 s, plus every sample that raised an alarm. */
  vitals: VitalsSample[];
  alarms: HandoverAlarm[];
  events: EventSample[];
  route: {
    first: PositionSample | null;
    last: PositionSample | null;
    /** Sum of the great-circle legs between stored positions. */
    distanceM: number;
    positions: number;
  };
  prenotifications: Prenotification[];
  /** Samples stored per stream. */
  counts: StreamAcks;
  ecg: {
    /** The run's study in the PACS (one per run); null when no snapshot was stored. */
    studyInstanceUid: string | null;
    snapshots: EcgSnapshot[];
    /** Why there are no (or fewer) snapshots: no ECG received, no PACS, a storage failure. */
    unavailable?: string;
  };
}
