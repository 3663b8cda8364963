import { useMediaTrack } from './useMediaTrack.js';

/** A shared screen: shown large, never mirrored, never cropped. */
export function ScreenTile({
  track,
  label,
  testId,
}: {
  track: MediaStreamTrack;
  label: string;
  testId: string;
}) {
  const video = useMediaTrack<HTMLVideoElement>(track);
  return (
    <div className="tile tile-screen" data-testid={testId}>
      <video ref={video.ref} className="tile-video contain" autoPlay playsInline muted />
      <div className="tile-label">
        <span className="tile-name">{label}</span>
      </div>
    </div>
  );
}
