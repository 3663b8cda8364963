import { describe, expect, it } from 'vitest';
import { MAX_CHAT_CHARS, MAX_MESSAGE_BYTES, ProtocolError, type ErrorCode } from '../protocol/index.js';
import { parseRequest } from './request-envelope.js';
import { TokenBucket } from './token-bucket.js';

function codeOf(raw: unknown): ErrorCode | 'OK' {
  try {
    parseRequest(raw);
    return 'OK';
  } catch (err) {
    if (err instanceof ProtocolError) return err.code;
    throw err;
  }
}

describe('parseRequest', () => {
  it.each([
    ['a string', 'not an envelope'],
    ['null', null],
    ['a number', 42],
    ['an array', [{ method: 'join' }]],
    ['no method', { data: {} }],
    ['an empty method', { method: '', data: {} }],
    ['a non-string method', { method: 7, data: {} }],
    ['an extra envelope key', { method: 'leave', data: {}, extra: 1 }],
    ['a method longer than 64 chars', { method: 'x'.repeat(65) }],
  ])('refuses %s as BAD_REQUEST', (_what, raw) => {
    expect(codeOf(raw)).toBe('BAD_REQUEST');
  });

  it.each(['dropDatabase', '__proto__', 'toString', 'constructor', 'hasOwnProperty'])(
    'refuses method %s as UNKNOWN_METHOD',
    (method) => {
      expect(codeOf({ method, data: {} })).toBe('UNKNOWN_METHOD');
    },
  );

  it.each([
    ['produce without kind/source/rtpParameters', { method: 'produce', data: { transportId: 'x' } }],
    ['join with an empty roomId', { method: 'join', data: { roomId: '' } }],
    ['join with an extra key', { method: 'join', data: { roomId: 'r', admin: true } }],
    ['createTransport with a bad direction', { method: 'createTransport', data: { direction: 'sideways' } }],
    ['chat of only spaces', { method: 'chat', data: { text: '   ' } }],
    ['chat longer than the limit', { method: 'chat', data: { text: 'x'.repeat(MAX_CHAT_CHARS + 1) } }],
    ['data that is a string', { method: 'leave', data: 'please' }],
    [
      'consumer layers out of range',
      { method: 'setConsumerPreferredLayers', data: { consumerId: 'c', spatialLayer: 9 } },
    ],
    [
      'produce with empty codecs',
      {
        method: 'produce',
        data: { transportId: 't', kind: 'audio', source: 'mic', rtpParameters: { codecs: [] } },
      },
    ],
  ])('refuses %s as BAD_REQUEST', (_what, raw) => {
    expect(codeOf(raw)).toBe('BAD_REQUEST');
  });

  it('names the failing field without echoing the value', () => {
    try {
      parseRequest({ method: 'produce', data: { transportId: 'secret-value-xyz' } });
      expect.unreachable();
    } catch (err) {
      expect((err as ProtocolError).message).toMatch(/kind/);
      expect((err as ProtocolError).message).not.toMatch(/secret-value-xyz/);
    }
  });

  it('refuses a message larger than MAX_MESSAGE_BYTES as TOO_LARGE before looking at it', () => {
    expect(codeOf({ method: 'chat', data: { text: 'x'.repeat(MAX_MESSAGE_BYTES) } })).toBe('TOO_LARGE');
    // Even when the envelope is also malformed: size is checked first.
    expect(codeOf('y'.repeat(MAX_MESSAGE_BYTES + 1))).toBe('TOO_LARGE');
    // Binary payloads count as they would serialize (a Buffer grows several times as JSON).
    expect(codeOf({ method: 'chat', data: { text: Buffer.alloc(30_000, 200) } })).toBe('TOO_LARGE');
  });

  it('accepts valid requests and trims chat text', () => {
    expect(parseRequest({ method: 'join', data: { roomId: 'abc' } })).toEqual({
      method: 'join',
      data: { roomId: 'abc' },
    });
    expect(parseRequest({ method: 'leave' })).toEqual({ method: 'leave', data: {} });
    expect(parseRequest({ method: 'chat', data: { text: '  hello  ' } })).toEqual({
      method: 'chat',
      data: { text: 'hello' },
    });
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills at the steady rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 5, perSecond: 2 }, () => now);
    expect(Array.from({ length: 7 }, () => bucket.take())).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    now += 500; // one token back
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 60_000; // never more than the burst
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });
});
