// One DICOM association as a service class provider: who is calling (AE allow-list → principal),
// what they may do (negotiation), and the C-ECHO, C-STORE and C-FIND services. The networking
// itself is dcmjs-dimse's; this class only decides and answers.
import type { Socket } from 'node:net';
import type { AuditLog, Ingestor, Principal, StudyStore } from '../api.js';
import { DatasetCollector } from './collector.js';
import { answerFind, type Scope } from './find.js';
import {
  Dataset,
  Scp,
  Status,
  constants,
  responses,
  type Association,
  type CEchoRequest,
  type CEchoResponse,
  type CFindRequest,
  type CFindResponse,
  type CStoreRequest,
  type CStoreResponse,
  type PresentationContext,
} from './lib.js';
import { negotiate } from './negotiation.js';
import { RawDataset, toPart10 } from './raw-dataset.js';
import { storeAnswer } from './store-status.js';

/** Receives the C-STORE sub-operations of a C-MOVE we asked the upstream PACS for. */
export interface MoveTarget {
  /** Calling AE title of the upstream PACS when it connects back to us. */
  callingAe: string;
  /** Takes one retrieved instance; false if nobody was waiting for it. */
  receive(part10: Buffer, sopInstanceUid: string): boolean;
}

export interface ScpContext {
  aeTitle: string;
  ingestor: Ingestor;
  store: StudyStore;
  audit: AuditLog;
  aeAccess: (callingAe: string, address: string) => Principal | null;
  scope: (principal: Principal) => Scope | Promise<Scope>;
  upstreamMoveTarget?: MoveTarget;
  maxInstanceBytes: number;
  /** The P-DATA-TF maximum length we advertise (and the PDU gate enforces). */
  maxPduBytes: number;
}

export class TelemedScp extends Scp {
  private principal: Principal | null = null;
  private fromUpstream = false;
  private readonly address: string;
  /** Set by the server when this connection is over the association cap: it is refused, transiently. */
  overCapacity = false;

  constructor(
    socket: Socket,
    opts: ConstructorParameters<typeof Scp>[1],
    private readonly ctx: ScpContext,
  ) {
    super(socket, opts);
    this.address = socket.remoteAddress ?? 'unknown';
  }

  override associationRequested(association: Association): void {
    const { RejectResult, RejectSource, RejectReason } = constants;
    const callingAe = association.getCallingAeTitle().trim();
    const calledAe = association.getCalledAeTitle().trim();
    const reject = (reason: number, why: string): void => {
      this.audit({ action: 'store', result: 'denied', detail: `association rejected: ${why}` }, callingAe);
      this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, reason);
    };
    if (this.overCapacity) {
      this.audit(
        { action: 'store', result: 'denied', detail: 'association rejected: too many associations' },
        callingAe,
      );
      this.sendAssociationReject(
        RejectResult.Transient,
        RejectSource.ServiceProviderPresentation,
        RejectReason.LocalLimitExceeded,
      );
      return;
    }
    if (calledAe !== this.ctx.aeTitle)
      return reject(RejectReason.CalledAeNotRecognized, `called AE is not ${this.ctx.aeTitle}`);
    const upstream = this.ctx.upstreamMoveTarget;
    if (upstream && callingAe === upstream.callingAe) {
      this.fromUpstream = true;
      this.principal = {
        userId: `ae:${callingAe}`,
        role: 'admin',
        institutionId: 'upstream',
        via: 'internal',
      };
    } else {
      const principal = this.ctx.aeAccess(callingAe, this.address);
      if (!principal) return reject(RejectReason.CallingAeNotRecognized, 'calling AE not on the allow-list');
      this.principal = { ...principal, via: 'dimse', callingAe, address: this.address };
    }
    const accepted = negotiate(association, { allowFind: !this.fromUpstream, allowStore: true });
    if (accepted === 0) return reject(RejectReason.NoReasonGiven, 'no acceptable presentation context');
    // dcmjs-dimse echoes the peer's maximum PDU length back as ours; ours must be what the PDU gate
    // enforces. Keeping the smaller of the two is also within what the peer can receive from us.
    const peerMax = association.getMaxPduLength();
    if (!peerMax || peerMax > this.ctx.maxPduBytes) association.setMaxPduLength(this.ctx.maxPduBytes);
    this.sendAssociationAccept();
  }

  /** The PDU gate aborted this association; on the record with the reason. */
  protocolViolation(why: string): void {
    this.audit({ action: 'store', result: 'denied', detail: `association aborted: ${why}` });
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }

  override abort(): void {
    // Nothing to undo: each C-STORE is stored whole or not at all by the ingest pipeline.
  }

  override cEchoRequest(request: CEchoRequest, callback: (response: CEchoResponse) => void): void {
    const response = responses.CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    this.audit({ action: 'echo', result: 'ok' });
    callback(response);
  }

  override createStoreWritableStream(): DatasetCollector {
    return new DatasetCollector(this.ctx.maxInstanceBytes);
  }

  override createDatasetFromStoreWritableStream(
    writable: DatasetCollector,
    context: PresentationContext,
    callback: (dataset: Dataset) => void,
  ): void {
    const syntax = context.getAcceptedTransferSyntaxUid() ?? '';
    const dataset = new RawDataset(writable.overflow ? Buffer.alloc(0) : writable.bytes(), syntax);
    overflowed.set(dataset, writable.overflow);
    callback(dataset);
  }

  override cStoreRequest(request: CStoreRequest, callback: (response: CStoreResponse) => void): void {
    const respond = (status: number, comment: string): void => {
      const response = responses.CStoreResponse.fromRequest(request);
      response.setStatus(status);
      if (comment) response.setErrorComment(comment);
      callback(response);
    };
    this.store(request).then(
      (answer) => respond(answer.status, answer.comment),
      (err: unknown) => {
        this.audit({
          action: 'store',
          result: 'failed',
          detail: `C-STORE processing failed: ${errorText(err)}`,
        });
        respond(Status.OutOfResources, 'the bridge could not store the instance');
      },
    );
  }

  private async store(request: CStoreRequest): Promise<{ status: number; comment: string }> {
    const dataset = request.getDataset();
    const sopClassUid = request.getAffectedSopClassUid();
    const sopInstanceUid = request.getAffectedSopInstanceUid();
    if (!(dataset instanceof RawDataset) || overflowed.get(dataset)) {
      const why = `instance larger than ${this.ctx.maxInstanceBytes} bytes`;
      this.audit({ action: 'store', result: 'failed', detail: `C-STORE refused: ${why}` });
      return { status: Status.OutOfResources, comment: why };
    }
    const part10 = toPart10(dataset.bytes, {
      sopClassUid,
      sopInstanceUid,
      transferSyntaxUid: dataset.getTransferSyntaxUid(),
      sourceAeTitle: this.principal?.callingAe ?? this.ctx.upstreamMoveTarget?.callingAe,
    });
    if (this.fromUpstream) {
      const taken = this.ctx.upstreamMoveTarget?.receive(part10, sopInstanceUid) ?? false;
      return taken
        ? { status: Status.Success, comment: '' }
        : { status: Status.OutOfResources, comment: 'no retrieve is waiting for this instance' };
    }
    // The ingest pipeline validates, authorizes, stores atomically and audits the store.
    return storeAnswer(await this.ctx.ingestor.ingest(part10, this.requirePrincipal()));
  }

  override cFindRequest(request: CFindRequest, callback: (responses: CFindResponse[]) => void): void {
    const sopClassUid = request.getAffectedSopClassUid();
    const final = (status: number, comment = ''): CFindResponse => {
      const response = responses.CFindResponse.fromRequest(request);
      response.setAffectedSopClassUid(sopClassUid);
      response.setStatus(status);
      if (comment) response.setErrorComment(comment);
      return response;
    };
    const run = async (): Promise<CFindResponse[]> => {
      const principal = this.requirePrincipal();
      const identifier = request.getDataset()?.getElements() ?? {};
      const answer = await answerFind(
        identifier,
        sopClassUid,
        this.ctx.store,
        await this.ctx.scope(principal),
      );
      if (!answer.ok) {
        this.audit({ action: 'query', result: 'failed', detail: `C-FIND refused: ${answer.reason}` });
        return [final(Status.UnableToProcess, answer.reason.slice(0, 64))];
      }
      this.audit({
        action: 'query',
        result: 'ok',
        detail: `C-FIND ${answer.level}: ${answer.matches.length} match(es)`,
        ...(answer.studyInstanceUid ? { studyInstanceUid: answer.studyInstanceUid } : {}),
      });
      const pending = answer.matches.map((match) => {
        const response = final(Status.Pending);
        response.setDataset(new Dataset(match, request.getDataset()?.getTransferSyntaxUid()));
        return response;
      });
      return [...pending, final(Status.Success)];
    };
    run().then(callback, (err: unknown) => {
      this.audit({ action: 'query', result: 'failed', detail: `C-FIND failed: ${errorText(err)}` });
      callback([final(Status.UnableToProcess, 'the bridge could not run the query')]);
    });
  }

  private requirePrincipal(): Principal {
    if (!this.principal) throw new Error('no principal: association was not accepted');
    return this.principal;
  }

  private audit(
    entry: {
      action: 'echo' | 'store' | 'query';
      result: 'ok' | 'denied' | 'failed';
      detail?: string;
      studyInstanceUid?: string;
    },
    callingAe = this.principal?.callingAe ?? this.ctx.upstreamMoveTarget?.callingAe ?? '',
  ): void {
    const p = this.principal;
    this.ctx.audit.append({
      userId: p?.userId ?? `ae:${callingAe}`,
      role: p ? (p.via === 'dimse' ? 'modality' : p.role) : 'modality',
      institutionId: p?.institutionId ?? '',
      source: `${this.address} AE ${callingAe}`,
      ...entry,
    });
  }
}

/** Which received datasets were cut off at the size limit (set where the dataset is built). */
const overflowed = new WeakMap<RawDataset, boolean>();

/** Error text for the audit record: the message only (no stack, never dataset content). */
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 200);
