// The platform's configuration, read once from the environment (see docs/architecture.md) and
// validated here so a typo fails at start with the variable's name instead of deep inside a request.
import path from 'node:path';
import { z } from 'zod';
import type { IceServer } from './protocol/index.js';

/** Known to everyone who reads this file: fine on a laptop, refused in production. */
export const DEV_JWT_SECRET = 'telemed-development-secret-do-not-use-in-production';
export const DEFAULT_DEMO_PASSWORD = 'telemed-demo';
export const REFRESH_TTL_S = 7 * 24 * 3600;

export const LogLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LogLevels)[number];

export interface PlatformConfig {
  /** `NODE_ENV=production`: no demo accounts, no development secret. */
  production: boolean;
  port: number;
  host: string;
  /** Holds `telemed.db` (and, later, the DICOM store). */
  dataDir: string;
  jwtSecret: string;
  accessTtlS: number;
  refreshTtlS: number;
  demoAccounts: boolean;
  demoPassword: string;
  /** When set, Socket.IO broadcasts go through Redis (several signalling nodes). */
  redisUrl: string | undefined;
  iceServers: IceServer[];
  logLevel: LogLevel;
  /** How long a dropped participant keeps their seat (`reconnecting`). */
  reconnectGraceMs: number;
  /** The PACS bridge (DICOMweb, uploads, ECG) in this process; false runs signalling alone. */
  pacs: boolean;
  /** DIMSE C-ECHO/C-STORE/C-FIND SCP; `dicomPort: null` turns it off. */
  dicomPort: number | null;
  dicomHost: string;
  dicomAeTitle: string;
  /**
   * Modalities allowed to associate, each sending for an institution. Unset: in development any
   * calling AE counts as the demo township clinic; in production nobody may associate.
   */
  dicomAllowedAes: AllowedAe[] | undefined;
  /** A real PACS behind the bridge (Orthanc REST base URL); unset: the embedded store. */
  orthancUrl: string | undefined;
  orthancUsername: string | undefined;
  orthancPassword: string | undefined;
}

export interface AllowedAe {
  aeTitle: string;
  institutionId: string;
  addresses?: string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const IceServerSchema = z
  .object({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  })
  .strict();

const intFrom = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const boolFrom = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const iceServersFrom = z.string().transform((raw, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON list of {urls, username?, credential?}' });
    return z.NEVER;
  }
  const result = z.array(IceServerSchema).safeParse(parsed);
  if (!result.success) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a JSON list of {urls, username?, credential?}: ${summarize(result.error)}`,
    });
    return z.NEVER;
  }
  return result.data;
});

const AllowedAeSchema = z
  .object({
    aeTitle: z.string().trim().min(1).max(16),
    institutionId: z.string().trim().min(1).max(64),
    addresses: z.array(z.string().min(1)).optional(),
  })
  .strict();

const allowedAesFrom = z.string().transform((raw, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON list of {aeTitle, institutionId, addresses?}' });
    return z.NEVER;
  }
  const result = z.array(AllowedAeSchema).safeParse(parsed);
  if (!result.success) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a JSON list of {aeTitle, institutionId, addresses?}: ${summarize(result.error)}`,
    });
    return z.NEVER;
  }
  return result.data;
});

// Keys are the environment variable names, so an error names exactly what to fix.
const EnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: intFrom(0, 65535).default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  TELEMED_DATA_DIR: z.string().trim().min(1).default('./var'),
  TELEMED_JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (HS256 key)')
    .default(DEV_JWT_SECRET),
  TELEMED_ACCESS_TTL_S: intFrom(30, 24 * 3600).default(900),
  TELEMED_DEMO_PASSWORD: z
    .string()
    .min(6, 'must be at least 6 characters')
    .max(256)
    .default(DEFAULT_DEMO_PASSWORD),
  TELEMED_DEMO_ACCOUNTS: boolFrom.optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, 'expected redis://host:port or rediss://…')
    .optional(),
  TELEMED_ICE_SERVERS: iceServersFrom.optional(),
  LOG_LEVEL: z.enum(LogLevels).default('info'),
  TELEMED_RECONNECT_GRACE_MS: intFrom(0, 10 * 60_000).default(15_000),
  TELEMED_PACS: boolFrom.default(true),
  TELEMED_DICOM_PORT: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.union([z.literal('off'), intFrom(0, 65535)]))
    .default(11112),
  TELEMED_DICOM_HOST: z.string().trim().min(1).optional(),
  TELEMED_DICOM_AE: z
    .string()
    .trim()
    .regex(/^[\x20-\x7e]{1,16}$/, 'an AE title is 1–16 printable ASCII characters')
    .default('TELEMED'),
  TELEMED_DICOM_ALLOWED_AES: allowedAesFrom.optional(),
  TELEMED_ORTHANC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/\S+$/, 'expected http(s)://host:port')
    .optional(),
  TELEMED_ORTHANC_USERNAME: z.string().optional(),
  TELEMED_ORTHANC_PASSWORD: z.string().optional(),
});

function summarize(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ');
}

/** Reads the configuration from environment variables; throws `ConfigError` naming every bad one. */
export function configFromEnv(env: NodeJS.ProcessEnv): PlatformConfig {
  // Empty strings count as unset: `FOO= npm start` should mean the default, not a validation error.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? '?')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const config: PlatformConfig = {
    production,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.TELEMED_DATA_DIR),
    jwtSecret: e.TELEMED_JWT_SECRET,
    accessTtlS: e.TELEMED_ACCESS_TTL_S,
    refreshTtlS: REFRESH_TTL_S,
    demoAccounts: e.TELEMED_DEMO_ACCOUNTS ?? !production,
    demoPassword: e.TELEMED_DEMO_PASSWORD,
    redisUrl: e.REDIS_URL,
    iceServers: e.TELEMED_ICE_SERVERS ?? [],
    logLevel: e.LOG_LEVEL,
    reconnectGraceMs: e.TELEMED_RECONNECT_GRACE_MS,
    pacs: e.TELEMED_PACS,
    dicomPort: e.TELEMED_DICOM_PORT === 'off' ? null : e.TELEMED_DICOM_PORT,
    dicomHost: e.TELEMED_DICOM_HOST ?? e.HOST,
    dicomAeTitle: e.TELEMED_DICOM_AE,
    dicomAllowedAes: e.TELEMED_DICOM_ALLOWED_AES,
    orthancUrl: e.TELEMED_ORTHANC_URL,
    orthancUsername: e.TELEMED_ORTHANC_USERNAME,
    orthancPassword: e.TELEMED_ORTHANC_PASSWORD,
  };
  assertProductionSafe(config);
  return config;
}

/** The defaults of every setting (what an empty environment gives). */
export function defaultConfig(): PlatformConfig {
  return configFromEnv({});
}

/**
 * A production server must not accept tokens anyone can forge with the published development secret,
 * nor carry accounts whose password is in the README.
 */
export function assertProductionSafe(config: PlatformConfig): void {
  if (!config.production) return;
  const problems: string[] = [];
  if (config.jwtSecret === DEV_JWT_SECRET) {
    problems.push(
      'TELEMED_JWT_SECRET is the development secret: set a random secret of at least 32 characters',
    );
  }
  if (config.demoAccounts) {
    problems.push(
      'TELEMED_DEMO_ACCOUNTS is enabled: demo accounts with a published password are not allowed',
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(`Refusing to start with NODE_ENV=production:\n  ${problems.join('\n  ')}`);
  }
}
