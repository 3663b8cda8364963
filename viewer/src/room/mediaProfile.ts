import { CAMERA_SIMULCAST_ENCODINGS } from './layers.js';

/**
 * How this browser captures and sends its camera and microphone. The consult room's default sends
 * three simulcast layers up to 720p; a crew in a moving ambulance on a mobile network gets one 360p
 * layer with a hard bitrate cap, and when bandwidth drops the frame rate goes first (a sharp
 * picture of a wound or a monitor matters more than smooth motion).
 */
export interface MediaProfile {
  video: MediaTrackConstraints;
  audio: MediaTrackConstraints;
  cameraEncodings: RTCRtpEncodingParameters[];
  /** kbit/s the camera starts at (before bandwidth estimation has a figure). */
  cameraStartBitrate: number;
  /** Opus average bitrate cap, bits/s (undefined: the browser's choice). */
  opusMaxAverageBitrate?: number;
  /** What the camera's encoder gives up first under pressure (undefined: the browser's default). */
  degradationPreference?: RTCDegradationPreference;
}

const AUDIO: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export const DEFAULT_MEDIA_PROFILE: MediaProfile = {
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  audio: AUDIO,
  cameraEncodings: CAMERA_SIMULCAST_ENCODINGS,
  cameraStartBitrate: 1000,
};

export const LOW_BANDWIDTH_MEDIA_PROFILE: MediaProfile = {
  video: {
    width: { ideal: 640 },
    height: { ideal: 360 },
    frameRate: { ideal: 15, max: 20 },
    // The rear camera shows the patient; the front one the crew member holding the phone.
    facingMode: { ideal: 'environment' },
  },
  audio: { ...AUDIO, channelCount: { ideal: 1 } },
  cameraEncodings: [{ maxBitrate: 500_000, maxFramerate: 15, scaleResolutionDownBy: 1 }],
  cameraStartBitrate: 300,
  opusMaxAverageBitrate: 24_000,
  degradationPreference: 'maintain-resolution',
};
