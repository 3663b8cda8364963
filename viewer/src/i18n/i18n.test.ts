import { describe, expect, it } from 'vitest';
import { formatDicomDate, formatPersonName, registerMessages, t } from './index.js';

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
});
