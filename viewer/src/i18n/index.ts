// One i18n layer for the whole app. Simplified Chinese is the default (the users are Chinese
// clinicians); English is switchable and remembered. Each feature registers its own namespace of
// strings in both languages (`registerMessages('ecg', { 'zh-CN': {...}, en: {...} })`), so features
// do not edit one shared file; `t('ecg.calipers')` looks them up. A missing key shows the key itself,
// so a gap is visible rather than silent.
import { useSyncExternalStore } from 'react';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export type Messages = Record<string, string>;
const catalogs: Record<Locale, Map<string, string>> = { 'zh-CN': new Map(), en: new Map() };
// Kept per namespace so tests can check every feature's catalogs for gaps without knowing the features.
const registered = new Map<string, Record<Locale, Messages>>();

const STORAGE_KEY = 'telemed.locale';
let current: Locale = readStoredLocale();
const listeners = new Set<() => void>();

function readStoredLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return (LOCALES as readonly string[]).includes(stored ?? '') ? (stored as Locale) : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/** Adds a namespace's strings; keys become `<namespace>.<key>`. Both languages must list the same keys. */
export function registerMessages(namespace: string, messages: Record<Locale, Messages>): void {
  const before = registered.get(namespace);
  registered.set(namespace, {
    'zh-CN': { ...before?.['zh-CN'], ...messages['zh-CN'] },
    en: { ...before?.en, ...messages.en },
  });
  for (const locale of LOCALES) {
    for (const [key, text] of Object.entries(messages[locale]))
      catalogs[locale].set(`${namespace}.${key}`, text);
  }
}

/** The namespaces registered so far, with their strings per language (read-only view for tests). */
export function registeredNamespaces(): ReadonlyMap<string, Readonly<Record<Locale, Readonly<Messages>>>> {
  return registered;
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyDocumentLocale();
  for (const listener of listeners) listener();
}

/** `<html lang>` follows the language, so screen readers and CJK font selection match the text. */
function applyDocumentLocale(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}
applyDocumentLocale();

/** `t('room.leave')`, `t('upload.progress', { done: 3, total: 10 })` — `{name}` placeholders. */
export function t(key: string, params?: Record<string, string | number>, locale: Locale = current): string {
  const text = catalogs[locale].get(key) ?? catalogs.en.get(key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders the component when the language changes; returns `t` and the locale. */
export function useI18n(): { t: typeof t; locale: Locale; setLocale: typeof setLocale } {
  const locale = useSyncExternalStore(subscribe, getLocale, getLocale);
  return { t, locale, setLocale };
}

/** Dates as Chinese clinicians write them (2026-11-26 14:05), or the English form (26/11/2026, 14:05). */
export function formatDateTime(value: Date | string | number, locale: Locale = current): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const format = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  if (locale !== 'zh-CN') return format.format(d);
  // ICU writes 2026/11/26; Chinese records and forms use the ISO-style 2026-11-26.
  const parts = format.formatToParts(d);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** A time of day on the 24-hour clock (14:05), as in both languages' clinical records. */
export function formatTime(value: Date | string | number, locale: Locale = current): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

/** A DICOM date `YYYYMMDD` as `2026-11-26` (zh) or `26 Nov 2026` (en). */
export function formatDicomDate(da: string | undefined, locale: Locale = current): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da ?? '');
  if (!m) return da ?? '';
  if (locale === 'zh-CN') return `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

/**
 * A DICOM person name (`Family^Given^Middle^Prefix^Suffix`, with `=`-separated ideographic and phonetic
 * groups) as people read it: Chinese names family-first without a space (王小明), Western names in
 * the locale's order. The ideographic group is preferred in Chinese.
 */
export function formatPersonName(pn: string | undefined, locale: Locale = current): string {
  if (!pn) return '';
  const [alphabetic = '', ideographic = ''] = pn.split('=');
  const group = locale === 'zh-CN' && ideographic ? ideographic : alphabetic || ideographic;
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group
    .split('^')
    .map((p) => p.trim());
  if (/[\u3400-\u9fff]/.test(family + given)) return `${family}${given}`;
  if (locale === 'zh-CN') return [family, given, middle].filter(Boolean).join(' ');
  return [prefix, given, middle, family, suffix].filter(Boolean).join(' ');
}
