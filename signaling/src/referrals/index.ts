// Wiring: the referral and report services over one database and the PACS bridge.
import type { PacsBridge } from '@telemed/pacs-bridge';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { ReportService } from '../reports/report-service.js';
import { ReportsRepository } from '../reports/reports-repository.js';
import type { ReferralNotifier } from './referral-notifier.js';
import { ReferralService } from './referral-service.js';
import { ReferralsRepository } from './referrals-repository.js';

export { socketReferralNotifier, type ReferralNotifier } from './referral-notifier.js';

export interface Referrals {
  service: ReferralService;
  reports: ReportService;
}

export function createReferrals(deps: {
  db: Db;
  accounts: AccountsRepository;
  bridge: PacsBridge;
  notifier: ReferralNotifier;
  logger: Logger;
}): Referrals {
  const logger = deps.logger.child({ component: 'referrals' });
  const referrals = new ReferralsRepository(deps.db);
  const service = new ReferralService({ ...deps, referrals, logger });
  const reports = new ReportService({
    referrals,
    reports: new ReportsRepository(deps.db),
    service,
    bridge: deps.bridge,
    logger,
  });
  return { service, reports };
}
