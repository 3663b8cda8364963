/**
 * Which simulcast layer a remote camera should be sent in, from how big it is drawn. The sender
 * produces three layers at 1/4, 1/2 and full resolution; asking for more pixels than the tile
 * shows wastes the receiver's bandwidth and the SFU's, asking for fewer looks blurred.
 */
export type SpatialLayer = 0 | 1 | 2;

export interface TileSize {
  width: number;
  height: number;
}

/** Tiles up to this many device pixels high get layer 0, up to the next one layer 1. */
const LOW_MAX_HEIGHT = 200;
const MEDIUM_MAX_HEIGHT = 400;

export function preferredSpatialLayer(
  size: TileSize,
  remoteCameras: number,
  devicePixelRatio = 1,
): SpatialLayer {
  // With one remote camera it is the whole call: always the best picture.
  if (remoteCameras <= 1) return 2;
  // The picture is letterboxed 16:9 inside the tile: what counts is the smaller fit.
  const shown = Math.min(size.height, (size.width * 9) / 16) * devicePixelRatio;
  if (shown <= LOW_MAX_HEIGHT) return 0;
  if (shown <= MEDIUM_MAX_HEIGHT) return 1;
  return 2;
}

/** Encodings for a simulcast camera: low, medium and full resolution. */
export const CAMERA_SIMULCAST_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000 },
];
