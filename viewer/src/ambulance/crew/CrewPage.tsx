import type { SignalingClient } from '../../api/signaling.js';
import { useSession } from '../../app/services.js';
import { useI18n } from '../../i18n/index.js';
import { CrewHome } from './CrewHome.js';
import { CrewRunScreen } from './CrewRunScreen.js';
import './crew.css';
import './messages.js';

/** `/ambulance/crew` (start or continue a run) and `/ambulance/crew/runs/<id>` (the run screen). */
export function CrewPage({ runId, signaling }: { runId?: string; signaling: SignalingClient }) {
  const { t } = useI18n();
  const user = useSession()?.user;
  if (user && user.role !== 'ambulance' && user.role !== 'admin') {
    return (
      <main className="crew" data-testid="crew-home">
        <p className="form-error" role="alert">
          {t('crew.notCrew')}
        </p>
      </main>
    );
  }
  return runId ? <CrewRunScreen key={runId} runId={runId} signaling={signaling} /> : <CrewHome />;
}
