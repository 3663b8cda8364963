// ECG snapshots of a run into the PACS: each window becomes a DICOM 12-lead ECG instance of the run's
// one study, stored through the bridge's ingest pipeline (validated, audited, announced, found by
// QIDO/WADO and the ECG viewer) on behalf of the destination hospital, whose record it joins.
// The study is attached to the run's consult room so the crew and invited staff can open it too.
import { createHash } from 'node:crypto';
import {
  EcgSubject,
  STANDARD_LEADS,
  writeTwelveLeadEcg,
  type EcgChannel,
  type PacsBridge,
  type Principal,
} from '@telemed/pacs-bridge';
import type { EcgSnapshot, Handover, UserInfo } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import type { EcgWindow } from './ecg-window.js';
import type { RunRecord } from './runs-repository.js';
import type { SnapshotWindow } from './handover-builder.js';

export interface WindowData {
  window: SnapshotWindow;
  ecg: EcgWindow;
}

/** At most 13 channels fit one multiplex group of a 12-lead ECG object. */
const MAX_CHANNELS = 13;

/** The run's study: a UUID-derived UID (2.25), the same for every build of its handover. */
export function runStudyUid(runId: string): string {
  const hex = createHash('sha256').update(`telemed-ambulance-run:${runId}`).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

/** 'avr' → 'aVR', 'v1' → 'V1'; undefined for what a 12-lead object cannot code (e.g. 'MLII'). */
function standardLead(name: string): string | undefined {
  return STANDARD_LEADS.find((l) => l.toLowerCase() === name.toLowerCase());
}

/** DICOM DT from device time (UTC digits: the device clock is all we know). */
function dicomDateTime(t: number): string {
  return new Date(t).toISOString().replace(/[-:T]/g, '').replace('Z', '');
}

function channelsOf(ecg: EcgWindow): EcgChannel[] {
  const channels: EcgChannel[] = [];
  ecg.leads.forEach((name, i) => {
    const lead = standardLead(name);
    if (!lead || channels.length >= MAX_CHANNELS) return;
    const raw = Int32Array.from(ecg.samples[i]!);
    channels.push({
      lead,
      label: lead,
      units: 'uV',
      sensitivity: ecg.microvoltsPerUnit,
      sensitivityCorrection: 1,
      baseline: 0,
      raw,
      samples: Float32Array.from(raw, (v) => v * ecg.microvoltsPerUnit),
    });
  });
  return channels;
}

export interface PacsSnapshotDeps {
  bridge: PacsBridge;
  logger: Logger;
}

export class PacsSnapshots {
  constructor(private readonly deps: PacsSnapshotDeps) {}

  async store(user: UserInfo, run: RunRecord, windows: readonly WindowData[]): Promise<Handover['ecg']> {
    const studyInstanceUid = runStudyUid(run.id);
    const principal: Principal = {
      userId: user.id,
      role: user.role,
      institutionId: run.destination.id,
      via: 'internal',
    };
    const snapshots: EcgSnapshot[] = [];
    const problems: string[] = [];
    for (const { window, ecg } of windows) {
      const channels = channelsOf(ecg);
      if (channels.length === 0) {
        problems.push(`the ${window.reason} snapshot has no standard ECG lead`);
        continue;
      }
      try {
        const written = writeTwelveLeadEcg(
          {
            recording: {
              source: 'dicom',
              groups: [
                {
                  label: 'RHYTHM',
                  originality: 'ORIGINAL',
                  samplingFrequency: ecg.sampleRate,
                  numberOfSamples: channels[0]!.raw.length,
                  bitsAllocated: 16,
                  sampleInterpretation: 'SS',
                  channels,
                },
              ],
            },
            subject: new EcgSubject({
              patientId: run.id,
              patientName: run.patient.name ?? `Unknown^${run.callsign}`,
              ...(run.patient.sex && run.patient.sex !== 'U' ? { patientSex: run.patient.sex } : {}),
              acquisitionDateTime: dicomDateTime(ecg.t),
              manufacturer: 'Telemed ambulance telemetry',
              studyDescription: `Ambulance ${run.callsign} ECG`,
            }),
          },
          {
            institutionName: run.destination.name,
            studyInstanceUid,
            // Same run, window and samples → same UIDs: storing a handover again is a duplicate.
            sourceBytes: Buffer.from(
              `${run.id}:${window.reason}:${window.alarm ?? ''}:${ecg.t}:${channels[0]!.raw.length}`,
            ),
            uidSalt: run.id,
          },
        );
        const result = await this.deps.bridge.ingestor.ingest(written.bytes, principal);
        if ('reason' in result) throw new Error(result.reason);
        snapshots.push({
          reason: window.reason,
          ...(window.alarm ? { alarm: window.alarm } : {}),
          t: ecg.t,
          durationS: Math.round((channels[0]!.raw.length / ecg.sampleRate) * 10) / 10,
          sopInstanceUid: written.sopInstanceUid,
          seriesInstanceUid: written.seriesInstanceUid,
        });
      } catch (err) {
        // Messages of the writer and the pipeline name rules and stages, not patient data.
        const message = err instanceof Error ? err.message : String(err);
        problems.push(`the ${window.reason} snapshot could not be stored: ${message}`);
      }
    }
    this.audit(user, run, studyInstanceUid, snapshots.length, problems);
    if (snapshots.length > 0) {
      this.deps.bridge.access.shares.share(studyInstanceUid, { roomId: run.roomId }, user.id);
    }
    return {
      studyInstanceUid: snapshots.length > 0 ? studyInstanceUid : null,
      snapshots,
      ...(problems.length > 0 ? { unavailable: problems.join('; ') } : {}),
    };
  }

  /** One audit entry per handover: the run, how many snapshots, what failed — never patient data. */
  private audit(user: UserInfo, run: RunRecord, study: string, stored: number, problems: string[]): void {
    this.deps.bridge.audit.append({
      userId: user.id,
      role: user.role,
      institutionId: user.institution.id,
      action: 'ecg',
      studyInstanceUid: study,
      result: problems.length === 0 ? 'ok' : stored > 0 ? 'partial' : 'failed',
      detail: `ambulance run ${run.id} handover: ${stored} ECG snapshot(s) stored${problems.length ? `; ${problems.join('; ')}` : ''}`,
      source: 'api',
    });
    if (problems.length > 0)
      this.deps.logger.warn(
        { runId: run.id, stored, problems: problems.length },
        'handover ECG snapshots incomplete',
      );
  }
}
