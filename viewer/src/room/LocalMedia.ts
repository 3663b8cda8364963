import type { MediaSource } from '@telemed/signaling/protocol';
import { Emitter } from '../util/emitter.js';
import { DEFAULT_MEDIA_PROFILE, type MediaProfile } from './mediaProfile.js';
import type { LocalView } from './roomState.js';

/**
 * This browser's microphone, camera and screen tracks and whether the user wants each on. The
 * tracks outlive transports: after a media reset or a reconnection the same tracks are produced
 * again, so the user is not asked for permission twice and mute states survive.
 */
export class LocalMedia extends Emitter<{ change: []; screenEnded: [] }> {
  private readonly tracks = new Map<MediaSource, MediaStreamTrack>();
  private readonly wanted: Record<MediaSource, boolean> = { mic: true, camera: true, screen: false };
  private stopped = false;

  constructor(private readonly profile: MediaProfile = DEFAULT_MEDIA_PROFILE) {
    super();
  }

  /**
   * Asks for the microphone and camera. Returns a warning to show (an i18n key, see room/messages.ts)
   * when one of them is missing (no device, permission refused): the call goes on with what there is.
   */
  async acquire(): Promise<string | null> {
    const devices = navigator.mediaDevices;
    if (!devices?.getUserMedia) return 'room.noticeNoMediaApi';
    const attempts: Array<{ audio: boolean; video: boolean }> = [
      { audio: true, video: true },
      { audio: true, video: false },
      { audio: false, video: true },
    ];
    for (const want of attempts) {
      try {
        const stream = await devices.getUserMedia({
          audio: want.audio ? this.profile.audio : false,
          video: want.video ? this.profile.video : false,
        });
        if (this.stopped) {
          for (const t of stream.getTracks()) t.stop();
          return null;
        }
        const audio = stream.getAudioTracks()[0];
        const video = stream.getVideoTracks()[0];
        if (audio) this.adopt('mic', audio);
        if (video) this.adopt('camera', video);
        this.emit('change');
        if (audio && video) return null;
        return audio ? 'room.noticeNoCamera' : 'room.noticeNoMic';
      } catch {
        // try with less
      }
    }
    return 'room.noticeNoDevices';
  }

  track(source: MediaSource): MediaStreamTrack | null {
    return this.tracks.get(source) ?? null;
  }

  /** Whether the user wants this source sent (a muted mic has a track but is not wanted). */
  isOn(source: MediaSource): boolean {
    return this.wanted[source] && this.tracks.has(source);
  }

  setOn(source: 'mic' | 'camera', on: boolean): void {
    this.wanted[source] = on;
    const track = this.tracks.get(source);
    if (track) track.enabled = on;
    this.emit('change');
  }

  /** Asks the user which screen or window to share. */
  async startScreen(): Promise<MediaStreamTrack> {
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: { ideal: 15 } },
      audio: false,
    });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new Error('No screen was shared');
    // Text and images on a shared screen must stay sharp; frame rate may drop instead.
    track.contentHint = 'detail';
    // The browser's own "stop sharing" button ends the track without asking us.
    track.addEventListener('ended', () => {
      if (this.tracks.get('screen') === track) {
        this.stopScreen();
        this.emit('screenEnded');
      }
    });
    this.adopt('screen', track);
    this.wanted.screen = true;
    this.emit('change');
    return track;
  }

  view(): LocalView {
    return {
      micOn: this.isOn('mic'),
      cameraOn: this.isOn('camera'),
      screenOn: this.isOn('screen'),
      hasMic: this.tracks.has('mic'),
      hasCamera: this.tracks.has('camera'),
      cameraTrack: this.track('camera'),
      screenTrack: this.track('screen'),
    };
  }

  stopScreen(): void {
    this.wanted.screen = false;
    this.tracks.get('screen')?.stop();
    this.tracks.delete('screen');
    this.emit('change');
  }

  stopAll(): void {
    this.stopped = true;
    for (const t of this.tracks.values()) t.stop();
    this.tracks.clear();
    this.emit('change');
  }

  private adopt(source: MediaSource, track: MediaStreamTrack): void {
    this.tracks.get(source)?.stop();
    this.tracks.set(source, track);
    if (source !== 'screen') track.enabled = this.wanted[source];
  }
}
