// The `ambulance:camera` CLI as a child process (built JavaScript, as an operator runs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../../signaling/dist/ambulance-cli/camera.js', import.meta.url));

/** The CLI's stderr, kept for failure messages, and its lines as they come. */
export interface CameraProcess {
  child: ChildProcess;
  log: string[];
  /** The first line (from line index `from` on) matching `re`, now or when it comes. */
  waitForLine(re: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** The generation of the endpoints the CLI sends to now (from its "(generation N)" lines). */
  generation(): number;
  /** The video RTP/RTCP source ports the CLI gives ffmpeg now (its "sending from UDP ports" lines). */
  videoSourcePorts(): { rtp: number; rtcp: number } | null;
  /** Pid of the ffmpeg the CLI runs now (its only child process), or null. Linux (/proc). */
  ffmpegPid(): number | null;
}

export function startCamera(args: string[]): CameraProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  const onLine = (line: string) => {
    log.push(line);
    for (const w of [...waiters])
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  return {
    child,
    log,
    generation() {
      const lines = log.filter((l) => /\(generation \d+\)/.test(l));
      return Number(/\(generation (\d+)\)/.exec(lines.at(-1) ?? '')?.[1] ?? 0);
    },
    videoSourcePorts() {
      const line = log.filter((l) => /sending from UDP ports/.test(l)).at(-1) ?? '';
      const m = /sending from UDP ports (\d+)\/(\d+) \(video/.exec(line);
      return m ? { rtp: Number(m[1]), rtcp: Number(m[2]) } : null;
    },
    ffmpegPid() {
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        let stat: string;
        try {
          stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        } catch {
          continue; // exited meanwhile
        }
        // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === child.pid) return Number(entry);
      }
      return null;
    },
    waitForLine(re, timeoutMs = 30_000, from = 0) {
      const seen = log.slice(from).find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`camera CLI: no line matching ${re}; output:\n${log.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
  };
}
