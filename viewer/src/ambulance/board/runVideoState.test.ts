import { describe, expect, it } from 'vitest';
import type { PeerInfo, ProducerInfo } from '@telemed/signaling/protocol';
import type { RemotePeerView, RemoteTrack, RoomSnapshot } from '../../room/roomState.js';
import { BOARD_WATCH, runVideoState, videoPeers } from './runVideoState.js';

const peer = (peerId: string, role: PeerInfo['role']): PeerInfo => ({
  peerId,
  displayName: peerId,
  role,
  institution: 'x',
  status: 'connected',
});

const view = (info: PeerInfo, withCamera: boolean): RemotePeerView => ({
  info,
  mic: null,
  camera: withCamera ? ({ consumerId: 'c', source: 'camera' } as RemoteTrack) : null,
  screen: null,
  micMuted: true,
  cameraOff: !withCamera,
  hidden: false,
  speaking: false,
  quality: 'good',
  score: null,
});

const snap = (over: Partial<RoomSnapshot>): RoomSnapshot =>
  ({
    roomId: 'r',
    phase: 'joined',
    error: null,
    notice: null,
    self: null,
    peers: [],
    chat: [],
    ...over,
  }) as RoomSnapshot;

const producer = (kind: 'audio' | 'video', source: ProducerInfo['source']): ProducerInfo => ({
  producerId: 'p',
  peerId: 'x',
  kind,
  source,
  paused: false,
});

describe('board video state', () => {
  it('connecting until joined, then waiting for the ambulance, then playing', () => {
    expect(runVideoState(null, false)).toBe('connecting');
    expect(runVideoState(snap({ phase: 'joining' }), false)).toBe('connecting');
    expect(runVideoState(snap({ peers: [view(peer('dr', 'specialist'), true)] }), false)).toBe('waiting');
    expect(runVideoState(snap({ peers: [view(peer('cam', 'ambulance'), false)] }), false)).toBe('waiting');
    const playing = snap({
      peers: [view(peer('cam', 'ambulance'), true), view(peer('dr', 'specialist'), true)],
    });
    expect(runVideoState(playing, false)).toBe('playing');
    expect(videoPeers(playing).map((p) => p.info.peerId)).toEqual(['cam']);
  });

  it('a takeover is "elsewhere", other failures are errors, a drop is reconnecting', () => {
    const kicked = snap({ phase: 'error', error: { code: 'KICKED', message: 'another window' } });
    expect(runVideoState(kicked, false)).toBe('elsewhere');
    expect(runVideoState(snap({ phase: 'error', error: { code: 'FORBIDDEN', message: '' } }), false)).toBe(
      'error',
    );
    expect(runVideoState(snap({ phase: 'reconnecting' }), false)).toBe('reconnecting');
    expect(runVideoState(null, true)).toBe('error');
  });

  it('watches only the ambulance cameras, at the lowest layer', () => {
    expect(BOARD_WATCH.layer).toBe(0);
    expect(BOARD_WATCH.accept(producer('video', 'camera'), peer('cam', 'ambulance'))).toBe(true);
    expect(BOARD_WATCH.accept(producer('audio', 'mic'), peer('cam', 'ambulance'))).toBe(false);
    expect(BOARD_WATCH.accept(producer('video', 'screen'), peer('cam', 'ambulance'))).toBe(false);
    expect(BOARD_WATCH.accept(producer('video', 'camera'), peer('dr', 'specialist'))).toBe(false);
    expect(BOARD_WATCH.accept(producer('video', 'camera'), undefined)).toBe(false);
  });
});
