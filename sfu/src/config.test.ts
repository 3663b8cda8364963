import { describe, expect, it } from 'vitest';
import { defaultAnnouncedAddress, sfuConfigFromEnv, type NetworkInterfaces } from './config.js';

const lan: NetworkInterfaces = {
  lo: [
    {
      address: '127.0.0.1',
      family: 'IPv4',
      internal: true,
      netmask: '255.0.0.0',
      mac: '00:00:00:00:00:00',
      cidr: null,
    },
  ],
  eth0: [
    {
      address: 'fe80::1',
      family: 'IPv6',
      internal: false,
      netmask: 'ffff::',
      mac: '02:00:00:00:00:01',
      cidr: null,
      scopeid: 2,
    },
    {
      address: '10.1.2.3',
      family: 'IPv4',
      internal: false,
      netmask: '255.0.0.0',
      mac: '02:00:00:00:00:01',
      cidr: null,
    },
  ],
};
const loopbackOnly: NetworkInterfaces = { lo: lan.lo };

describe('sfuConfigFromEnv', () => {
  it('defaults: one worker per core, all interfaces, first LAN IPv4 announced, ports 40000-49999', () => {
    expect(sfuConfigFromEnv({}, { cpus: 3, interfaces: lan })).toEqual({
      numWorkers: 3,
      logLevel: 'warn',
      rtcMinPort: 40000,
      rtcMaxPort: 49999,
      listenIp: '0.0.0.0',
      announcedAddress: '10.1.2.3',
      maxIncomingBitrate: 3_000_000,
      initialAvailableOutgoingBitrate: 1_000_000,
    });
  });

  it('announces the listen IP when it is concrete, and 127.0.0.1 when nothing else is known', () => {
    expect(sfuConfigFromEnv({ MEDIASOUP_LISTEN_IP: '192.0.2.7' }, { interfaces: lan }).announcedAddress).toBe(
      '192.0.2.7',
    );
    expect(sfuConfigFromEnv({}, { interfaces: loopbackOnly }).announcedAddress).toBe('127.0.0.1');
    expect(defaultAnnouncedAddress('::', lan)).toBe('10.1.2.3');
  });

  it('takes every variable, trimming, and treats empty ones as unset', () => {
    const config = sfuConfigFromEnv(
      {
        MEDIASOUP_NUM_WORKERS: ' 4 ',
        MEDIASOUP_LISTEN_IP: '10.0.0.5',
        MEDIASOUP_ANNOUNCED_ADDRESS: 'media.example.org',
        RTC_MIN_PORT: '50000',
        RTC_MAX_PORT: '50003',
        MEDIASOUP_LOG_LEVEL: 'error',
        MEDIASOUP_MAX_INCOMING_BITRATE: '2000000',
        MEDIASOUP_INITIAL_OUTGOING_BITRATE: '',
      },
      { cpus: 2, interfaces: lan },
    );
    expect(config).toMatchObject({
      numWorkers: 4,
      listenIp: '10.0.0.5',
      announcedAddress: 'media.example.org',
      rtcMinPort: 50000,
      rtcMaxPort: 50003,
      logLevel: 'error',
      maxIncomingBitrate: 2_000_000,
      initialAvailableOutgoingBitrate: 1_000_000,
    });
  });

  it.each([
    [{ MEDIASOUP_NUM_WORKERS: 'two' }, /MEDIASOUP_NUM_WORKERS must be a whole number \(got "two"\)/],
    [{ MEDIASOUP_NUM_WORKERS: '0' }, /MEDIASOUP_NUM_WORKERS must be at least 1/],
    [{ RTC_MIN_PORT: '70000' }, /RTC_MIN_PORT must be at most 65535/],
    [{ RTC_MAX_PORT: '80' }, /RTC_MAX_PORT must be at least 1024/],
    [
      { RTC_MIN_PORT: '45000', RTC_MAX_PORT: '44000' },
      /RTC_MIN_PORT \(45000\) is above RTC_MAX_PORT \(44000\)/,
    ],
    [
      { MEDIASOUP_NUM_WORKERS: '4', RTC_MIN_PORT: '45000', RTC_MAX_PORT: '45001' },
      /fewer ports than MEDIASOUP_NUM_WORKERS \(4\)/,
    ],
    [{ MEDIASOUP_LISTEN_IP: 'localhost' }, /MEDIASOUP_LISTEN_IP must be an IPv4 or IPv6 address/],
    [
      { MEDIASOUP_ANNOUNCED_ADDRESS: '0.0.0.0' },
      /MEDIASOUP_ANNOUNCED_ADDRESS must be a concrete IP address or a DNS name/,
    ],
    [{ MEDIASOUP_ANNOUNCED_ADDRESS: 'bad host!' }, /MEDIASOUP_ANNOUNCED_ADDRESS/],
    [{ MEDIASOUP_LOG_LEVEL: 'verbose' }, /MEDIASOUP_LOG_LEVEL must be debug, warn, error or none/],
  ])('refuses %o', (env, message) => {
    expect(() => sfuConfigFromEnv(env, { cpus: 2, interfaces: lan })).toThrow(message);
  });

  it('lists every invalid variable in one error', () => {
    let error: Error | undefined;
    try {
      sfuConfigFromEnv({ RTC_MIN_PORT: 'x', MEDIASOUP_LISTEN_IP: 'nope' }, { cpus: 1, interfaces: lan });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(/^Invalid SFU configuration:/);
    expect(error?.message).toMatch(/RTC_MIN_PORT/);
    expect(error?.message).toMatch(/MEDIASOUP_LISTEN_IP/);
  });
});
