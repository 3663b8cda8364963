import { navigate } from '../app/navigation.js';
import { useI18n } from '../i18n/index.js';
import { ImageViewer } from './ImageViewer.js';
import './messages.js';

/** `/studies/<uid>/`: the image viewer over the whole window. */
export function StudyViewerPage({ studyUid }: { studyUid: string }) {
  const { t } = useI18n();
  return (
    <main className="study iv-page">
      <div className="study-bar">
        <button type="button" data-testid="back-to-studies" onClick={() => navigate('/studies')}>
          ‹ {t('imaging.backToList')}
        </button>
        <span className="study-uid" title={studyUid}>
          {studyUid}
        </span>
      </div>
      <ImageViewer studyUid={studyUid} />
    </main>
  );
}
