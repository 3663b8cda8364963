import { z } from 'zod';
import {
  DtlsParametersSchema,
  IdSchema,
  MediaKindSchema,
  MediaSourceSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
  type IceServer,
  type MediaKind,
  type MediaSource,
  type TransportOptions,
} from './media.js';
import type { ChatMessage, PeerInfo, ProducerInfo } from './room.js';
import type { ReferralUpdated } from './referrals.js';
import { ViewingRequestSchemas, type ViewingNotifications, type ViewingResponses } from './viewing.js';
import { DicomUidSchema } from './http.js';
import {
  TelemetryPushSchema,
  type AmbulanceRun,
  type Prenotification,
  type StreamAcks,
  type TelemetrySamples,
  type TelemetryStream,
} from './ambulance.js';

/** Upper bound for one Socket.IO message; larger payloads are refused before parsing. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
export const MAX_CHAT_CHARS = 2000;

const empty = z.object({}).strict();
const producerRef = z.object({ producerId: IdSchema }).strict();
const consumerRef = z.object({ consumerId: IdSchema }).strict();

/**
 * Every client→server request: its payload schema. Sent as
 * `socket.emit('request', { method, data }, ack)`; answered with `Ack<Responses[method]>`.
 */
export const RequestSchemas = {
  join: z.object({ roomId: IdSchema }).strict(),
  leave: empty,
  createTransport: z
    .object({ direction: z.enum(['send', 'recv']), forceTcp: z.boolean().optional() })
    .strict(),
  connectTransport: z.object({ transportId: IdSchema, dtlsParameters: DtlsParametersSchema }).strict(),
  restartIce: z.object({ transportId: IdSchema }).strict(),
  produce: z
    .object({
      transportId: IdSchema,
      kind: MediaKindSchema,
      source: MediaSourceSchema,
      rtpParameters: RtpParametersSchema,
    })
    .strict(),
  closeProducer: producerRef,
  pauseProducer: producerRef,
  resumeProducer: producerRef,
  consume: z
    .object({ transportId: IdSchema, producerId: IdSchema, rtpCapabilities: RtpCapabilitiesSchema })
    .strict(),
  pauseConsumer: consumerRef,
  resumeConsumer: consumerRef,
  setConsumerPreferredLayers: z
    .object({
      consumerId: IdSchema,
      spatialLayer: z.number().int().min(0).max(2),
      temporalLayer: z.number().int().min(0).max(2).optional(),
    })
    .strict(),
  chat: z.object({ text: z.string().trim().min(1).max(MAX_CHAT_CHARS) }).strict(),
  ...ViewingRequestSchemas,
  /** Live `studyUpdated` notifications for a study the user may read (an open viewer); no room needed. */
  watchStudy: z.object({ studyInstanceUid: DicomUidSchema }).strict(),
  unwatchStudy: z.object({ studyInstanceUid: DicomUidSchema }).strict(),
  /** Ambulance crew (or its simulator/CLI): samples of one telemetry stream of a run; see ambulance.ts. */
  'telemetry:push': TelemetryPushSchema,
  /** What the server has stored of a run, per stream: a sender resumes from acked + 1. */
  'telemetry:resume': z.object({ runId: IdSchema }).strict(),
  /**
   * Hospital staff: live `runUpdated` and `telemetry` for every run bound for their hospital (admins:
   * all), answered with those runs; `board:unwatch` stops it.
   */
  'board:watch': empty,
  'board:unwatch': empty,
} as const;

/** Requests a connection may make without holding a seat in a room. */
export const SESSION_METHODS = [
  'join',
  'leave',
  'watchStudy',
  'unwatchStudy',
  'telemetry:push',
  'telemetry:resume',
  'board:watch',
  'board:unwatch',
] as const;
export type SessionMethod = (typeof SESSION_METHODS)[number];

export type RequestMethod = keyof typeof RequestSchemas;
export type RequestData<M extends RequestMethod> = z.infer<(typeof RequestSchemas)[M]>;

export interface JoinResponse {
  self: PeerInfo;
  peers: PeerInfo[];
  producers: ProducerInfo[];
  chat: ChatMessage[];
  routerRtpCapabilities: unknown;
  iceServers: IceServer[];
  /** The active speaker at join time, if any. */
  activeSpeakerPeerId: string | null;
}

export interface ConsumeResponse {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: unknown;
  type: string;
  producerPaused: boolean;
}

/** Every request's successful response. */
export interface Responses extends ViewingResponses {
  join: JoinResponse;
  leave: Record<string, never>;
  createTransport: TransportOptions;
  connectTransport: Record<string, never>;
  restartIce: { iceParameters: unknown };
  produce: { producerId: string };
  closeProducer: Record<string, never>;
  pauseProducer: Record<string, never>;
  resumeProducer: Record<string, never>;
  consume: ConsumeResponse;
  pauseConsumer: Record<string, never>;
  resumeConsumer: Record<string, never>;
  setConsumerPreferredLayers: Record<string, never>;
  chat: { message: ChatMessage };
  watchStudy: Record<string, never>;
  unwatchStudy: Record<string, never>;
  'telemetry:push': { stream: TelemetryStream; acked: number };
  'telemetry:resume': { acked: StreamAcks };
  'board:watch': { runs: AmbulanceRun[] };
  'board:unwatch': Record<string, never>;
}

/** The envelope of every request, checked before the per-method schema. */
export const RequestEnvelopeSchema = z
  .object({ method: z.string().min(1).max(64), data: z.unknown().optional() })
  .strict();

/** Server→client events, sent as `socket.emit('notification', { method, data })`. */
export interface Notifications extends ViewingNotifications {
  peerJoined: { peer: PeerInfo };
  peerUpdated: { peer: PeerInfo };
  peerLeft: { peerId: string };
  producerAdded: { producer: ProducerInfo };
  producerClosed: { producerId: string; peerId: string };
  producerPaused: { producerId: string; peerId: string };
  producerResumed: { producerId: string; peerId: string };
  consumerClosed: { consumerId: string; producerId: string };
  consumerPaused: { consumerId: string };
  consumerResumed: { consumerId: string };
  consumerLayersChanged: { consumerId: string; spatialLayer: number | null; temporalLayer: number | null };
  consumerScore: { consumerId: string; score: number; producerScore: number };
  activeSpeaker: { peerId: string | null };
  chatMessage: { message: ChatMessage };
  /**
   * The room's media moved (its mediasoup worker died): drop every transport, producer and
   * consumer, then create them again against these capabilities. Room membership is kept.
   */
  mediaReset: { reason: string; routerRtpCapabilities: unknown };
  /** You were removed (another session of yours took the seat, or the invite was withdrawn). */
  kicked: { reason: string };
  /**
   * Lobby: a consult room you can see was created, or your invitation to it was added or withdrawn.
   * Sent to every connected socket of the users concerned (joined to a room or not, on any signalling
   * node); refetch `GET /api/rooms`.
   */
  roomsChanged: { roomId: string; reason: RoomsChangedReason };
  /**
   * Images arrived for a study attached to this consult room (from STOW-RS, a modality's C-STORE or a
   * browser upload): refresh that study's series list without polling.
   */
  studyUpdated: StudyUpdate;
  /** A referral you send, receive or may claim changed (created, claimed, report signed…); to user channels. */
  referralUpdated: ReferralUpdated;
  /** Board watchers: a run bound for your hospital was created, changed status or was prenotified. */
  runUpdated: { run: AmbulanceRun };
  /** Board watchers: samples of a run just stored (in seq order, each once). */
  telemetry: TelemetryNotification;
  /** Every connected user of the receiving hospital: a team is called for an inbound patient. */
  prenotification: { runId: string; callsign: string; prenotification: Prenotification };
}
export type TelemetryNotification = {
  [S in TelemetryStream]: { runId: string; stream: S; items: TelemetrySamples[S][] };
}[TelemetryStream];
export interface StudyUpdate {
  /** The consult room the study is attached to; absent for a `watchStudy` watcher. */
  roomId?: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  modality?: string;
  /** Totals after this instance: series in the study, instances in the study and in this series. */
  counts: { series: number; instances: number; seriesInstances: number };
  newSeries: boolean;
  newStudy: boolean;
}
export type RoomsChangedReason = 'created' | 'invited' | 'uninvited';
export type NotificationMethod = keyof Notifications;
export interface NotificationEnvelope<M extends NotificationMethod = NotificationMethod> {
  method: M;
  data: Notifications[M];
}

export function isRequestMethod(method: string): method is RequestMethod {
  return Object.prototype.hasOwnProperty.call(RequestSchemas, method);
}
