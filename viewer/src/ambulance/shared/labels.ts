// Message keys for the protocol's enums, so board, toasts and handover name things the same way.
import type {
  AlarmKind,
  EventSample,
  RunCategory,
  ReceivingTeam,
  PatientSummary,
  Prenotification,
} from '@telemed/signaling/protocol';
import { formatTime, t } from '../../i18n/index.js';
import './messages.js';

const CATEGORY: Record<RunCategory, string> = {
  stroke: 'catStroke',
  'chest-pain': 'catChestPain',
  trauma: 'catTrauma',
  obstetric: 'catObstetric',
  medical: 'catMedical',
  other: 'catOther',
};
const TEAM: Record<ReceivingTeam, string> = {
  stroke: 'teamStroke',
  'chest-pain': 'teamChestPain',
  trauma: 'teamTrauma',
  obstetric: 'teamObstetric',
};
const ALARM: Record<AlarmKind, string> = {
  'spo2-low': 'alarmSpo2Low',
  'hr-high': 'alarmHrHigh',
  'hr-low': 'alarmHrLow',
  'sbp-low': 'alarmSbpLow',
  'rr-high': 'alarmRrHigh',
  'rr-low': 'alarmRrLow',
  'etco2-high': 'alarmEtco2High',
  'etco2-low': 'alarmEtco2Low',
};
const EVENT: Record<EventSample['kind'], string> = {
  note: 'eventNote',
  medication: 'eventMedication',
  procedure: 'eventProcedure',
  observation: 'eventObservation',
  alert: 'eventAlert',
};

export const categoryLabel = (c: RunCategory) => t(`ambulance.${CATEGORY[c]}`);
export const teamLabel = (team: ReceivingTeam) => t(`ambulance.${TEAM[team]}`);
export const alarmLabel = (a: AlarmKind) => t(`ambulance.${ALARM[a]}`);
export const eventLabel = (k: EventSample['kind']) => t(`ambulance.${EVENT[k]}`);

/** "卒中: 王医生 14:05 已通知": which team was alerted, by whom, when (board card and handover). */
export const prenotifiedLabel = (p: Prenotification) =>
  t('ambulance.prenotified', { team: teamLabel(p.team), name: p.byName, time: formatTime(p.at) });

/** "男 · 67 岁 · 张三" — what is known of the patient, unknown parts left out (an unknown name is said). */
export function patientLine(p: PatientSummary): string {
  const parts = [t(`ambulance.sex${p.sex ?? 'U'}`)];
  if (p.ageYears !== undefined) parts.push(t('ambulance.ageYears', { age: p.ageYears }));
  parts.push(p.name ?? t('ambulance.nameUnknown'));
  return parts.join(' · ');
}

/** 14:05:09: a transport lasts minutes, so the record's times carry seconds (24-hour, both languages). */
export function formatClock(t: number | string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
