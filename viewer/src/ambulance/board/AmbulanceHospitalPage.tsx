import type { SignalingClient } from '../../api/signaling.js';
import type { Route } from '../../app/routes.js';
import { HandoverPage } from '../handover/HandoverPage.js';
import { BoardPage } from './BoardPage.js';

/** The hospital's ambulance pages, one lazy chunk: the arrival board and a run's handover. */
export function AmbulanceHospitalPage({
  route,
  signaling,
}: {
  route: Extract<Route, { name: 'ambulanceHospital' }>;
  signaling: SignalingClient;
}) {
  return route.view === 'board' ? (
    <BoardPage signaling={signaling} />
  ) : (
    <HandoverPage key={route.runId} runId={route.runId} />
  );
}
