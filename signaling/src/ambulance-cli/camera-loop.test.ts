// The camera CLI's loop against a scripted server: ffmpeg is halted (and has exited) before fresh
// endpoints are asked for, after a relocation, a stall, or a server that forgot the camera; polls
// come faster while video is not arriving; run over → exit 0; refused → exit 1.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CameraEndpoints, CameraStatus } from '../protocol/index.js';
import { CameraApiError } from './camera-api.js';
import { CameraLoop, FAST_POLL_MS, type CameraLoopApi } from './camera-loop.js';

const POLL_MS = 5_000;

function endpoints(generation: number, peerId = 'cam-1'): CameraEndpoints {
  return {
    peerId,
    runId: 'run-1',
    roomId: 'room-1',
    label: 'Camera 120-12',
    generation,
    state: 'starting',
    leaseMs: 30_000,
    video: {
      ip: '127.0.0.1',
      port: 40_000 + generation,
      rtcpPort: 41_000,
      payloadType: 96,
      ssrc: generation,
      codec: 'VP8',
    },
  };
}

type Answer = CameraStatus | CameraEndpoints | Error;

/** A server whose answers the test queues; every call and ffmpeg action lands in `calls`. */
class ScriptedServer implements CameraLoopApi {
  readonly calls: string[] = [];
  readonly polls: Answer[] = [];
  readonly renewals: Answer[] = [];
  readonly starts: Answer[] = [];
  current = endpoints(1);

  async start(): Promise<CameraEndpoints> {
    this.calls.push('start');
    return this.answer(this.starts, this.current) as CameraEndpoints;
  }
  async poll(peerId: string): Promise<CameraStatus> {
    this.calls.push(`poll ${peerId}`);
    return this.answer(this.polls, { ...this.current, state: 'receiving' }) as CameraStatus;
  }
  async renew(peerId: string): Promise<CameraEndpoints> {
    this.calls.push(`renew ${peerId}`);
    return this.answer(this.renewals, this.current) as CameraEndpoints;
  }
  async stop(peerId: string): Promise<void> {
    this.calls.push(`stop ${peerId}`);
  }
  private answer(queue: Answer[], otherwise: Answer): Answer {
    const a = queue.shift() ?? otherwise;
    if (a instanceof Error) throw a;
    if (a.state !== 'awaiting-sender') this.current = a as CameraEndpoints;
    return a;
  }
}

describe('camera CLI loop', () => {
  let server: ScriptedServer;
  let loop: CameraLoop;
  let ffmpegExits: (() => void) | null;
  const log: string[] = [];

  beforeEach(() => {
    vi.useFakeTimers();
    server = new ScriptedServer();
    ffmpegExits = null;
    log.length = 0;
    loop = new CameraLoop({
      api: server,
      sender: {
        send: (c) => server.calls.push(`ffmpeg → ${c.video.port}`),
        // ffmpeg takes its time to exit; the loop must wait for it.
        halt: () => {
          server.calls.push('halt');
          return new Promise<void>((resolve) => {
            ffmpegExits = () => {
              server.calls.push('ffmpeg exited');
              resolve();
            };
            setTimeout(() => ffmpegExits?.(), 300);
          });
        },
      },
      body: { video: { codec: 'VP8' }, audio: false },
      pollMs: POLL_MS,
      log: (l) => log.push(l),
    });
  });
  afterEach(async () => {
    const stopped = loop.stop();
    await vi.advanceTimersByTimeAsync(300);
    await stopped;
    vi.useRealTimers();
  });

  /** Starts the camera; the first poll says it is receiving. */
  async function started(): Promise<{ ended: Promise<number> }> {
    await loop.begin();
    const ended = loop.run();
    await vi.advanceTimersByTimeAsync(FAST_POLL_MS);
    expect(server.calls).toEqual(['start', 'ffmpeg → 40001', 'poll cam-1']);
    server.calls.length = 0;
    return { ended };
  }

  it('polls at pollMs while receiving, and every second while not', async () => {
    await started();
    await vi.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(server.calls).toEqual([]);
    server.polls.push({ ...server.current, state: 'starting' });
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toEqual(['poll cam-1']);
    await vi.advanceTimersByTimeAsync(FAST_POLL_MS);
    expect(server.calls).toEqual(['poll cam-1', 'poll cam-1']);
  });

  it('after a relocation: ffmpeg stopped and exited, then fresh endpoints, then ffmpeg again', async () => {
    await started();
    const { video: _v, state: _s, ...base } = server.current;
    server.polls.push({ ...base, state: 'awaiting-sender' });
    server.renewals.push(endpoints(2));
    await vi.advanceTimersByTimeAsync(POLL_MS + 300);
    expect(server.calls).toEqual(['poll cam-1', 'halt', 'ffmpeg exited', 'renew cam-1', 'ffmpeg → 40002']);
    expect(log.join('\n')).toMatch(/moved the room[\s\S]*generation 2/);
  });

  it('stalled: the same renewal; a renewal refused for now is retried every second with ffmpeg halted', async () => {
    await started();
    server.polls.push({ ...server.current, state: 'stalled' });
    server.renewals.push(new CameraApiError(500, 'MEDIA_ERROR', 'busy'), endpoints(2));
    await vi.advanceTimersByTimeAsync(POLL_MS + 300);
    expect(server.calls).toEqual(['poll cam-1', 'halt', 'ffmpeg exited', 'renew cam-1']);
    await vi.advanceTimersByTimeAsync(FAST_POLL_MS + 300);
    // halt() again before each attempt: a no-op for a halted ffmpeg, but never sending meanwhile.
    expect(server.calls.slice(4)).toEqual(['halt', 'ffmpeg exited', 'renew cam-1', 'ffmpeg → 40002']);
    expect(log.join('\n')).toMatch(/stalled/);
  });

  it('other endpoints than its own (a renewal whose answer was lost): renews too', async () => {
    await started();
    server.polls.push({ ...endpoints(2), state: 'starting' });
    server.renewals.push(endpoints(3));
    await vi.advanceTimersByTimeAsync(POLL_MS + 300);
    expect(server.calls).toEqual(['poll cam-1', 'halt', 'ffmpeg exited', 'renew cam-1', 'ffmpeg → 40003']);
  });

  it('the sender asks for fresh endpoints (ports taken, a stream it cannot continue): ffmpeg halted, renewed at once', async () => {
    await started();
    await vi.advanceTimersByTimeAsync(100);
    server.renewals.push(endpoints(2));
    loop.requestEndpoints('ffmpeg needs to send from other ports');
    await vi.advanceTimersByTimeAsync(300);
    expect(server.calls).toEqual(['halt', 'ffmpeg exited', 'renew cam-1', 'ffmpeg → 40002']);
    expect(log.join('\n')).toMatch(/other ports; asking for new endpoints[\s\S]*generation 2/);
  });

  it('a server that forgot the camera: ffmpeg stopped, then a new camera', async () => {
    await started();
    server.polls.push(new CameraApiError(404, 'NOT_FOUND', 'no such camera'));
    server.starts.push(endpoints(1, 'cam-2'));
    await vi.advanceTimersByTimeAsync(POLL_MS + 300);
    expect(server.calls).toEqual(['poll cam-1', 'halt', 'ffmpeg exited', 'start', 'ffmpeg → 40001']);
    await vi.advanceTimersByTimeAsync(FAST_POLL_MS);
    expect(server.calls.at(-1)).toBe('poll cam-2');
  });

  it('exits 0 when the run is over, 1 when refused for good; stop() halts ffmpeg then stops the camera', async () => {
    const { ended } = await started();
    server.polls.push(new CameraApiError(409, 'CONFLICT', 'The run is arrived'));
    await vi.advanceTimersByTimeAsync(POLL_MS + 300);
    await expect(ended).resolves.toBe(0);
    expect(server.calls).toEqual(['poll cam-1', 'halt', 'ffmpeg exited']);

    server.calls.length = 0;
    const again = loop.run();
    server.polls.push(new CameraApiError(403, 'FORBIDDEN', 'no'));
    await vi.advanceTimersByTimeAsync(POLL_MS + 300);
    await expect(again).resolves.toBe(1);

    server.calls.length = 0;
    const last = loop.run();
    const stopping = loop.stop();
    await vi.advanceTimersByTimeAsync(300);
    await stopping;
    await expect(last).resolves.toBe(0);
    expect(server.calls).toEqual(['halt', 'ffmpeg exited', 'stop cam-1']);
  });
});
