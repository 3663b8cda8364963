import { CameraIcon, LeaveIcon, MicIcon, ScreenIcon } from '../layout/icons.js';
import { useI18n } from '../i18n/index.js';
import type { LocalView } from './roomState.js';
import './messages.js';

interface Props {
  local: LocalView;
  disabled: boolean;
  onMic(): void;
  onCamera(): void;
  onScreen(): void;
  onLeave(): void;
}

export function ControlBar({ local, disabled, onMic, onCamera, onScreen, onLeave }: Props) {
  const { t } = useI18n();
  const canShare = typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia);
  return (
    <div className="control-bar" role="toolbar" aria-label={t('room.controls')}>
      <button
        type="button"
        className={local.micOn ? 'ctl' : 'ctl ctl-off'}
        data-testid="mic-toggle"
        aria-pressed={!local.micOn}
        disabled={!local.hasMic}
        onClick={onMic}
        title={local.hasMic ? undefined : t('room.noMic')}
      >
        <MicIcon off={!local.micOn} />
        {local.micOn ? t('room.mute') : t('room.unmute')}
      </button>
      <button
        type="button"
        className={local.cameraOn ? 'ctl' : 'ctl ctl-off'}
        data-testid="camera-toggle"
        aria-pressed={!local.cameraOn}
        disabled={!local.hasCamera}
        onClick={onCamera}
        title={local.hasCamera ? undefined : t('room.noCameraDevice')}
      >
        <CameraIcon off={!local.cameraOn} />
        {local.cameraOn ? t('room.cameraStop') : t('room.cameraStart')}
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
        {local.screenOn ? t('room.stopSharing') : t('room.shareScreen')}
      </button>
      <button type="button" className="ctl ctl-leave" data-testid="leave-button" onClick={onLeave}>
        <LeaveIcon />
        {t('room.leave')}
      </button>
    </div>
  );
}
