// Starts a real Orthanc (Debian's /usr/sbin/Orthanc with the DICOMweb plugin) for tests and
// benchmarks: generated JSON config, temp storage and index, free ports, a generated HTTP user,
// our SCP registered as a modality. Orthanc 1.10 cannot bind to one address, so it is kept to
// loopback by configuration: HTTP refuses remote clients (RemoteAccessAllowed false) and DICOM
// only answers registered modalities at 127.0.0.1 (DicomCheckModalityHost, no always-allow).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const ORTHANC_BIN = process.env.ORTHANC_BIN ?? '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN =
  process.env.ORTHANC_DICOMWEB_PLUGIN ?? '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
const SETUP_HINT =
  'run `bash infra/setup-system.sh test` (installs Debian orthanc, orthanc-dicomweb and dcmtk)';

export interface OrthancModality {
  aeTitle: string;
  host: string;
  port: number;
}

export interface StartOrthancOptions {
  /** Modalities Orthanc knows (C-STORE/C-FIND from them, C-MOVE to them), by symbolic name. */
  modalities?: Record<string, OrthancModality>;
  /** Require HTTP basic auth with a generated user (default true). */
  authentication?: boolean;
  aeTitle?: string;
}

export interface OrthancInstance {
  /** REST base, e.g. http://127.0.0.1:41234 */
  url: string;
  dicomWebRoot: string;
  httpPort: number;
  dicomPort: number;
  aeTitle: string;
  username?: string;
  password?: string;
  /** fetch against the REST API with the credentials filled in. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Adds (or replaces) a modality at run time, e.g. an SCP whose port is known only now. */
  addModality(name: string, modality: OrthancModality): Promise<void>;
  close(): Promise<void>;
}

/** Throws with the setup hint if the Orthanc binary or its DICOMweb plugin is missing. */
export function assertOrthancInstalled(): void {
  for (const path of [ORTHANC_BIN, DICOMWEB_PLUGIN]) {
    if (!existsSync(path)) throw new Error(`${path} not found: ${SETUP_HINT}`);
  }
}

export async function startOrthanc(opts: StartOrthancOptions = {}): Promise<OrthancInstance> {
  assertOrthancInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'telemed-orthanc-'));
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const auth = opts.authentication ?? true;
  const username = 'telemed';
  const password = randomBytes(12).toString('hex');
  const aeTitle = opts.aeTitle ?? 'ORTHANC';
  const modalities = Object.fromEntries(
    Object.entries(opts.modalities ?? {}).map(([name, m]) => [name, [m.aeTitle, m.host, m.port]]),
  );
  const config = {
    Name: 'telemed-test',
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: aeTitle,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: auth,
    RegisteredUsers: auth ? { [username]: password } : {},
    DicomModalities: modalities,
    DicomAlwaysAllowEcho: false,
    DicomAlwaysAllowStore: false,
    DicomAlwaysAllowFind: false,
    DicomCheckModalityHost: true,
    DicomCheckCalledAet: true,
    StorageCompression: false,
    // Re-sends are ignored, never overwritten: conflicts are the bridge's to detect and report.
    OverwriteInstances: false,
    DeidentifyLogs: true,
    HttpDescribeErrors: true,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: false,
      Ssl: false,
      StudiesMetadata: 'Full',
      SeriesMetadata: 'Full',
    },
  };
  const configPath = join(dir, 'orthanc.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const child = spawn(ORTHANC_BIN, [configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Kept only to explain a failed start; Orthanc's logs are de-identified (DeidentifyLogs).
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // If the test or benchmark process dies without close(), Orthanc must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const url = `http://127.0.0.1:${httpPort}`;
  const headers: Record<string, string> = auth
    ? { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
    : {};
  const request = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });

  try {
    await waitUntilUp(request, exited, () => stderr);
  } catch (err) {
    await stop(child, exited);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    dicomWebRoot: '/dicom-web',
    httpPort,
    dicomPort,
    aeTitle,
    ...(auth ? { username, password } : {}),
    request,
    async addModality(name, m) {
      const res = await request(`/modalities/${encodeURIComponent(name)}`, {
        method: 'PUT',
        body: JSON.stringify({ AET: m.aeTitle, Host: m.host, Port: m.port }),
      });
      if (!res.ok) throw new Error(`Orthanc refused modality ${name}: HTTP ${res.status}`);
    },
    async close() {
      await stop(child, exited);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls GET /system until Orthanc answers; fails fast if the process exits first. */
async function waitUntilUp(
  request: (path: string) => Promise<Response>,
  exited: Promise<number | null>,
  log: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  let dead: number | null | undefined;
  void exited.then((code) => (dead = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead !== undefined) throw new Error(`Orthanc exited with code ${dead} during start-up:\n${log()}`);
    try {
      const res = await request('/system');
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Orthanc did not answer /system within ${timeoutMs} ms:\n${log()}`);
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
