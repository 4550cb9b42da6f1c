/**
 * Hourly upkeep of the accounts tables (`accounts-prune`, at minute 17):
 * expired sessions, login attempts too old to lock anything, used or expired
 * reset links, invitations that lapsed long ago. One run per tick across
 * instances; each delete is idempotent.
 *
 * @example
 *   registerAccountsJobs({ jobs, accounts, log });
 */
import type { Logger } from 'pino';
import type { JobQueue } from '../jobs/jobs.js';
import type { AccountsService } from './accounts.service.js';

export const PRUNE_ACCOUNTS_JOB = 'accounts-prune';

export function registerAccountsJobs({
  jobs,
  accounts,
  log,
}: {
  jobs: JobQueue;
  accounts: AccountsService;
  log: Pick<Logger, 'info'>;
}): void {
  jobs.work(PRUNE_ACCOUNTS_JOB, async () => {
    const pruned = await accounts.prune();
    log.info({ pruned }, 'accounts pruned');
  });
  jobs.every(PRUNE_ACCOUNTS_JOB, '17 * * * *');
}
