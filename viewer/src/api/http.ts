import type {
  ConsultRoom,
  CreateRoomRequest,
  InviteRequest,
  MeResponse,
  RoomsResponse,
  UsersResponse,
} from '@telemed/signaling/protocol';
import type { AuthManager } from '../session/auth.js';
import { ApiError } from './errors.js';
import { fetchJson } from './json.js';

/**
 * The bearer-authenticated HTTP API. A 401 gets one refresh and one retry: the access token may
 * have expired while the tab slept and the scheduled refresh did not run.
 */
export class HttpApi {
  constructor(private readonly auth: AuthManager) {}

  me(): Promise<MeResponse> {
    return this.request('GET', '/api/me');
  }

  users(): Promise<UsersResponse> {
    return this.request('GET', '/api/users');
  }

  rooms(): Promise<RoomsResponse> {
    return this.request('GET', '/api/rooms');
  }

  room(roomId: string): Promise<ConsultRoom> {
    return this.request('GET', `/api/rooms/${encodeURIComponent(roomId)}`);
  }

  createRoom(body: CreateRoomRequest): Promise<ConsultRoom> {
    return this.request('POST', '/api/rooms', body);
  }

  invite(roomId: string, userIds: string[]): Promise<ConsultRoom> {
    const body: InviteRequest = { userIds };
    return this.request('POST', `/api/rooms/${encodeURIComponent(roomId)}/invitees`, body);
  }

  uninvite(roomId: string, userId: string): Promise<ConsultRoom> {
    return this.request(
      'DELETE',
      `/api/rooms/${encodeURIComponent(roomId)}/invitees/${encodeURIComponent(userId)}`,
    );
  }

  /**
   * Any JSON call with the session's bearer token (features with their own endpoints use this
   * rather than a copy of the refresh-and-retry).
   */
  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const token = await this.auth.freshAccessToken();
    if (!token) throw new ApiError('UNAUTHORIZED', 'Not logged in');
    try {
      return await fetchJson<T>(method, path, { body, token, signal });
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'UNAUTHORIZED') throw err;
      if (!(await this.auth.refresh())) throw err;
      return fetchJson<T>(method, path, { body, token: this.auth.accessToken(), signal });
    }
  }
}
