import { z } from 'zod';
import type { ConsultRoom } from './room.js';
import type { UserInfo } from './identity.js';
import type { ErrorBody } from './errors.js';

// HTTP API bodies (JSON). Errors are `{ error: { code, message } }` with a 4xx/5xx status.

export const LoginRequestSchema = z
  .object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(16).max(512) }).strict();
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export interface Session {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  user: UserInfo;
}

export const CreateRoomRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    invitees: z.array(z.string().min(1).max(64)).max(50).default([]),
  })
  .strict();
export type CreateRoomRequest = z.input<typeof CreateRoomRequestSchema>;

export const InviteRequestSchema = z
  .object({ userIds: z.array(z.string().min(1).max(64)).min(1).max(50) })
  .strict();
export type InviteRequest = z.infer<typeof InviteRequestSchema>;

export interface RoomsResponse {
  rooms: ConsultRoom[];
}
export interface UsersResponse {
  users: UserInfo[];
}
/** `GET /api/me` */
export interface MeResponse {
  user: UserInfo;
}
/** Body of every HTTP error response (4xx/5xx). */
export interface HttpErrorResponse {
  error: ErrorBody;
}

/** A DICOM UID: digits and dots, at most 64 characters, no empty or zero-padded components. */
export const DicomUidSchema = z
  .string()
  .max(64)
  .regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/, 'not a valid DICOM UID');

/** `POST /api/rooms/:id/studies`: attach a study to a consult room (everyone in it may then read it). */
export const AttachStudyRequestSchema = z.object({ studyInstanceUid: DicomUidSchema }).strict();
export type AttachStudyRequest = z.infer<typeof AttachStudyRequestSchema>;

export interface AttachedStudy {
  studyInstanceUid: string;
  sharedBy?: string;
  sharedAt: string;
}
/** `GET /api/rooms/:id/studies` */
export interface RoomStudiesResponse {
  studies: AttachedStudy[];
}
