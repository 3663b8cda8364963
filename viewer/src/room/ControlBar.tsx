import { CameraIcon, LeaveIcon, MicIcon, ScreenIcon } from '../layout/icons.js';
import type { LocalView } from './roomState.js';

interface Props {
  local: LocalView;
  disabled: boolean;
  onMic(): void;
  onCamera(): void;
  onScreen(): void;
  onLeave(): void;
}

export function ControlBar({ local, disabled, onMic, onCamera, onScreen, onLeave }: Props) {
  const canShare = typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia);
  return (
    <div className="control-bar" role="toolbar" aria-label="Call controls">
      <button
        type="button"
        className={local.micOn ? 'ctl' : 'ctl ctl-off'}
        data-testid="mic-toggle"
        aria-pressed={!local.micOn}
        disabled={!local.hasMic}
        onClick={onMic}
        title={local.hasMic ? undefined : 'No microphone available'}
      >
        <MicIcon off={!local.micOn} />
        {local.micOn ? 'Mute' : 'Unmute'}
      </button>
      <button
        type="button"
        className={local.cameraOn ? 'ctl' : 'ctl ctl-off'}
        data-testid="camera-toggle"
        aria-pressed={!local.cameraOn}
        disabled={!local.hasCamera}
        onClick={onCamera}
        title={local.hasCamera ? undefined : 'No camera available'}
      >
        <CameraIcon off={!local.cameraOn} />
        {local.cameraOn ? 'Stop camera' : 'Start camera'}
      </button>
      <button
        type="button"
        className={local.screenOn ? 'ctl ctl-active' : 'ctl'}
        data-testid="screen-toggle"
        aria-pressed={local.screenOn}
        disabled={disabled || !canShare}
        onClick={onScreen}
      >
        <ScreenIcon />
        {local.screenOn ? 'Stop sharing' : 'Share screen'}
      </button>
      <button type="button" className="ctl ctl-leave" data-testid="leave-button" onClick={onLeave}>
        <LeaveIcon />
        Leave
      </button>
    </div>
  );
}
