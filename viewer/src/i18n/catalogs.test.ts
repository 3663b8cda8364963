import { describe, expect, it } from 'vitest';
import { LOCALES, registeredNamespaces } from './index.js';

// Every feature's catalog, whoever wrote it: a new messages.ts is checked without editing this test.
import.meta.glob('../**/messages.ts', { eager: true });
await import('./errors.js');

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  const namespaces = [...registeredNamespaces()];

  it('registers the app shell, login, lobby, room and error namespaces', () => {
    const names = namespaces.map(([ns]) => ns);
    for (const ns of ['shell', 'login', 'lobby', 'room', 'error']) expect(names).toContain(ns);
  });

  for (const [namespace, messages] of namespaces) {
    describe(namespace, () => {
      it('has the same keys in every language', () => {
        const zhKeys = Object.keys(messages['zh-CN']).sort();
        for (const locale of LOCALES) expect(Object.keys(messages[locale]).sort()).toEqual(zhKeys);
      });

      it('has no empty strings and the same placeholders in every language', () => {
        for (const [key, zh] of Object.entries(messages['zh-CN'])) {
          for (const locale of LOCALES) {
            const text = messages[locale][key] ?? '';
            expect(text.trim(), `${locale} ${namespace}.${key}`).not.toBe('');
            expect(placeholders(text), `${locale} ${namespace}.${key}`).toEqual(placeholders(zh));
          }
        }
      });
    });
  }
});
