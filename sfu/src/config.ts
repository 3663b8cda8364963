// SfuConfig from the environment (docs/architecture.md, "Configuration").
import { isIP } from 'node:net';
import { availableParallelism, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { z } from 'zod';
import type { SfuConfig } from './api.js';

export type NetworkInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface HostFacts {
  cpus?: number;
  interfaces?: NetworkInterfaces;
}

const WILDCARD_IPS = new Set(['0.0.0.0', '::']);
const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** The listen IP if it is a concrete address, else the first non-internal IPv4, else 127.0.0.1. */
export function defaultAnnouncedAddress(
  listenIp: string,
  interfaces: NetworkInterfaces = networkInterfaces(),
): string {
  if (!WILDCARD_IPS.has(listenIp)) return listenIp;
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal) return info.address;
    }
  }
  return '127.0.0.1';
}

const intVar = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number (got "%s")`)
    .transform(Number)
    .pipe(
      z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`),
    );

const port = (name: string) => intVar(name, 1024, 65535);

const EnvSchema = z
  .object({
    MEDIASOUP_NUM_WORKERS: intVar('MEDIASOUP_NUM_WORKERS', 1, 128).optional(),
    MEDIASOUP_LISTEN_IP: z
      .string()
      .trim()
      .refine((v) => isIP(v) !== 0, 'MEDIASOUP_LISTEN_IP must be an IPv4 or IPv6 address (0.0.0.0 for all)')
      .optional(),
    MEDIASOUP_ANNOUNCED_ADDRESS: z
      .string()
      .trim()
      .refine(
        (v) => (isIP(v) !== 0 ? !WILDCARD_IPS.has(v) : HOSTNAME.test(v) && !/^[\d.]+$/.test(v)),
        'MEDIASOUP_ANNOUNCED_ADDRESS must be a concrete IP address or a DNS name',
      )
      .optional(),
    RTC_MIN_PORT: port('RTC_MIN_PORT').optional(),
    RTC_MAX_PORT: port('RTC_MAX_PORT').optional(),
    MEDIASOUP_LOG_LEVEL: z
      .enum(['debug', 'warn', 'error', 'none'], {
        message: 'MEDIASOUP_LOG_LEVEL must be debug, warn, error or none',
      })
      .optional(),
    MEDIASOUP_MAX_INCOMING_BITRATE: intVar('MEDIASOUP_MAX_INCOMING_BITRATE', 100_000, 100_000_000).optional(),
    MEDIASOUP_INITIAL_OUTGOING_BITRATE: intVar(
      'MEDIASOUP_INITIAL_OUTGOING_BITRATE',
      100_000,
      100_000_000,
    ).optional(),
  })
  .loose();

export const SFU_DEFAULTS = {
  listenIp: '0.0.0.0',
  rtcMinPort: 40000,
  rtcMaxPort: 49999,
  logLevel: 'warn',
  /** Per send transport: camera simulcast (~1.3 Mbit/s) plus a screen share. */
  maxIncomingBitrate: 3_000_000,
  initialAvailableOutgoingBitrate: 1_000_000,
} as const;

/**
 * The SFU configuration from environment variables. Empty values count as unset. Throws one Error
 * listing every invalid variable.
 */
export function sfuConfigFromEnv(env: NodeJS.ProcessEnv = process.env, host: HostFacts = {}): SfuConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      return `  ${key}: ${issue.message.replace('%s', String(present[key] ?? ''))}`;
    });
    throw new Error(`Invalid SFU configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const numWorkers = e.MEDIASOUP_NUM_WORKERS ?? host.cpus ?? availableParallelism();
  const rtcMinPort = e.RTC_MIN_PORT ?? SFU_DEFAULTS.rtcMinPort;
  const rtcMaxPort = e.RTC_MAX_PORT ?? SFU_DEFAULTS.rtcMaxPort;
  const problems: string[] = [];
  if (rtcMinPort > rtcMaxPort)
    problems.push(`RTC_MIN_PORT (${rtcMinPort}) is above RTC_MAX_PORT (${rtcMaxPort})`);
  else if (rtcMaxPort - rtcMinPort + 1 < numWorkers) {
    problems.push(
      `RTC_MIN_PORT..RTC_MAX_PORT (${rtcMinPort}..${rtcMaxPort}) has fewer ports than MEDIASOUP_NUM_WORKERS (${numWorkers}); ` +
        'each worker needs one',
    );
  }
  if (problems.length) throw new Error(`Invalid SFU configuration:\n  ${problems.join('\n  ')}`);

  const listenIp = e.MEDIASOUP_LISTEN_IP ?? SFU_DEFAULTS.listenIp;
  return {
    numWorkers,
    logLevel: e.MEDIASOUP_LOG_LEVEL ?? SFU_DEFAULTS.logLevel,
    rtcMinPort,
    rtcMaxPort,
    listenIp,
    announcedAddress: e.MEDIASOUP_ANNOUNCED_ADDRESS ?? defaultAnnouncedAddress(listenIp, host.interfaces),
    maxIncomingBitrate: e.MEDIASOUP_MAX_INCOMING_BITRATE ?? SFU_DEFAULTS.maxIncomingBitrate,
    initialAvailableOutgoingBitrate:
      e.MEDIASOUP_INITIAL_OUTGOING_BITRATE ?? SFU_DEFAULTS.initialAvailableOutgoingBitrate,
  };
}
