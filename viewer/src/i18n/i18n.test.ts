import { describe, expect, it } from 'vitest';
import { describeError } from './errors.js';
import {
  formatDateTime,
  formatDicomDate,
  formatPersonName,
  formatTime,
  getLocale,
  registerMessages,
  registeredNamespaces,
  setLocale,
  t,
} from './index.js';

describe('i18n', () => {
  registerMessages('test', {
    'zh-CN': { hello: '你好，{name}', onlyZh: '仅中文' },
    en: { hello: 'Hello, {name}', onlyZh: 'Chinese only' },
  });

  it('looks up by namespace, fills placeholders, and shows an unknown key as itself', () => {
    expect(t('test.hello', { name: '王医生' }, 'zh-CN')).toBe('你好，王医生');
    expect(t('test.hello', { name: 'Dr. Wang' }, 'en')).toBe('Hello, Dr. Wang');
    expect(t('test.missing', undefined, 'zh-CN')).toBe('test.missing');
  });

  it('formats DICOM dates and person names as readers expect', () => {
    expect(formatDicomDate('20261126', 'zh-CN')).toBe('2026-11-26');
    expect(formatDicomDate('20261126', 'en')).toBe('26 Nov 2026');
    expect(formatPersonName('Wang^Xiaoming=王^小明', 'zh-CN')).toBe('王小明');
    expect(formatPersonName('Wang^Xiaoming=王^小明', 'en')).toBe('Xiaoming Wang');
    expect(formatPersonName('DOE^JOHN^^DR', 'en')).toBe('DR JOHN DOE');
    expect(formatPersonName('张^伟', 'en')).toBe('张伟');
  });

  it('writes date and time as 2026-11-26 14:05 in Chinese, on the 24-hour clock in both', () => {
    const afternoon = new Date(2026, 10, 26, 14, 5);
    const midnight = new Date(2026, 0, 2, 0, 7);
    expect(formatDateTime(afternoon, 'zh-CN')).toBe('2026-11-26 14:05');
    expect(formatDateTime(midnight, 'zh-CN')).toBe('2026-01-02 00:07');
    expect(formatDateTime(afternoon, 'en')).toBe('26/11/2026, 14:05');
    expect(formatDateTime('not a date', 'zh-CN')).toBe('');
    expect(formatTime(midnight, 'zh-CN')).toBe('00:07');
    expect(formatTime(afternoon, 'en')).toBe('14:05');
  });

  it('merges a namespace registered in several calls', () => {
    registerMessages('test', { 'zh-CN': { later: '稍后' }, en: { later: 'Later' } });
    const ns = registeredNamespaces().get('test');
    expect(Object.keys(ns?.['zh-CN'] ?? {}).sort()).toEqual(['hello', 'later', 'onlyZh']);
    expect(t('test.later', undefined, 'en')).toBe('Later');
  });

  it('translates an error code and keeps the server code and English text as detail', () => {
    const refusal = { code: 'FORBIDDEN', message: 'You are not invited to this consult room' };
    expect(getLocale()).toBe('zh-CN');
    expect(describeError(refusal)).toBe(
      '您无权执行此操作（FORBIDDEN: You are not invited to this consult room）',
    );
    expect(describeError({ code: 'SOMETHING_NEW', message: 'x' })).toBe('发生错误（SOMETHING_NEW: x）');
    setLocale('en');
    try {
      expect(describeError(refusal, 'Not invited')).toBe(
        'Not invited (FORBIDDEN: You are not invited to this consult room)',
      );
      expect(describeError({ code: 'RATE_LIMITED', message: 'RATE_LIMITED' })).toBe(
        'Too many requests; please wait a moment (RATE_LIMITED)',
      );
    } finally {
      setLocale('zh-CN');
    }
  });
});
