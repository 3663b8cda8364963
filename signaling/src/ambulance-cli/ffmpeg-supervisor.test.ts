// The supervisor with stand-in processes (sh, sleep) for ffmpeg: a crashed process comes back with
// the same arguments; one that could not bind its ports is not restarted (the owner is told); a
// stopped (SIGSTOP) process is halted at once, not after the SIGKILL grace.
import { describe, expect, it } from 'vitest';
import { FfmpegSupervisor } from './ffmpeg-supervisor.js';

function supervised(program: string) {
  const lines: string[] = [];
  let taken = 0;
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  const sup = new FfmpegSupervisor(program, {
    log: (l) => {
      lines.push(l);
      for (const w of [...waiters])
        if (w.re.test(l)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
    },
    portsTaken: () => {
      taken += 1;
    },
  });
  const logged = (re: RegExp) =>
    lines.some((l) => re.test(l))
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ re, resolve }));
  return { sup, lines, logged, taken: () => taken };
}

describe('ffmpeg supervisor', () => {
  it('restarts a crashed process with the same arguments', async () => {
    const { sup, lines, logged } = supervised('sh');
    sup.run(['-c', 'echo "Conversion failed!" >&2; exit 1']);
    await logged(/exited \(code 1\); restarting in 1 s; last output: Conversion failed!/);
    await new Promise<void>((resolve) => {
      const check = () => (sup.starts >= 2 ? resolve() : setTimeout(check, 20));
      check();
    });
    await sup.stop();
    expect(lines.filter((l) => /ffmpeg started \(pid \d+\)/.test(l)).length).toBeGreaterThanOrEqual(2);
  });

  it('does not restart after a bind failure; tells the owner; runs again with new arguments', async () => {
    const { sup, logged, taken } = supervised('sh');
    sup.run(['-c', 'echo "[udp @ 0x1] bind failed: Address already in use" >&2; exit 1']);
    await logged(/cannot bind its source ports/);
    expect(taken()).toBe(1);
    expect(sup.running).toBe(false);
    expect(sup.starts).toBe(1);
    sup.run(['-c', 'sleep 30']);
    expect(sup.running).toBe(true);
    expect(sup.starts).toBe(2);
    await sup.stop();
    expect(taken()).toBe(1);
  });

  it('halts a stopped (SIGSTOP) process at once', async () => {
    const { sup } = supervised('sleep');
    sup.run(['30']);
    const pid = sup.pid!;
    process.kill(pid, 'SIGSTOP');
    const t0 = Date.now();
    await sup.halt();
    // The SIGKILL grace is 3 s: SIGCONT lets the pending SIGTERM end it well before.
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(sup.running).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
