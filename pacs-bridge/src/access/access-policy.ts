// Who may see and store what. Admin: everything. Everyone else: their own institution's studies
// (a clinician or ambulance crew sees what their clinic sent; a hospital specialist sees what the
// hospital's own modalities sent) plus studies shared with them, directly or through a consult room.
// A DIMSE association acts for the institution configured for its calling AE.
import type { Principal, QidoQuery } from '../api.js';
import type { Grantee, StudyShares } from './study-shares.js';

export interface AccessScope {
  /** undefined = unrestricted. */
  institutions?: string[];
  sharedStudies?: string[];
}

export interface AccessPolicyOptions {
  shares: StudyShares;
  /** Rooms (consults, referrals) the user belongs to; signaling supplies it. */
  roomsOf?: (userId: string) => readonly string[] | Promise<readonly string[]>;
}

export type StudyVisibility = 'visible' | 'hidden';

export class AccessPolicy {
  constructor(private readonly options: AccessPolicyOptions) {}

  get shares(): StudyShares {
    return this.options.shares;
  }

  async scope(principal: Principal): Promise<AccessScope> {
    if (principal.role === 'admin' || principal.via === 'internal') return {};
    if (principal.via === 'dimse') return { institutions: [principal.institutionId], sharedStudies: [] };
    const rooms = (await this.options.roomsOf?.(principal.userId)) ?? [];
    return {
      institutions: [principal.institutionId],
      sharedStudies: this.options.shares.studiesFor(principal.userId, rooms),
    };
  }

  /** Narrows a QIDO query to what the principal may see. */
  async restrict(principal: Principal, query: QidoQuery): Promise<QidoQuery> {
    const scope = await this.scope(principal);
    return { ...query, institutions: scope.institutions, sharedStudies: scope.sharedStudies };
  }

  /**
   * May the principal read a study owned by `ownerInstitution`? A study the caller may not see is
   * reported as absent by the web layer (404), so its existence does not leak.
   */
  async canRead(
    principal: Principal,
    studyInstanceUid: string,
    ownerInstitution: string | undefined,
  ): Promise<boolean> {
    const scope = await this.scope(principal);
    if (!scope.institutions) return true;
    if (ownerInstitution !== undefined && scope.institutions.includes(ownerInstitution)) return true;
    return scope.sharedStudies?.includes(studyInstanceUid) ?? false;
  }

  /**
   * May the principal add an instance to this study? A new study is always fine (it becomes theirs);
   * an existing one only if they can read it — a clinic cannot slip images into another clinic's study.
   */
  async canStore(
    principal: Principal,
    studyInstanceUid: string,
    ownerInstitution: string | undefined,
  ): Promise<boolean> {
    if (ownerInstitution === undefined) return true;
    return this.canRead(principal, studyInstanceUid, ownerInstitution);
  }

  share(studyInstanceUid: string, grantee: Grantee, sharedBy?: string): boolean {
    return this.options.shares.share(studyInstanceUid, grantee, sharedBy);
  }
}
