import type { Logger } from 'pino';
import type { SyncReport } from '../sync/types.js';
import type { SyncMetrics } from './metrics.js';

/**
 * Counts what a pass applied and logs it: one line per pass that applied something (debug when
 * nothing was new), and each refusal on its own line at warn with the file, the commit, the
 * pointer and the reason, so an operator reading the log can act without opening `status`.
 */
export function recordReport(report: SyncReport, metrics: SyncMetrics, logger: Logger): void {
  metrics.versionsCreated.inc(report.versionsCreated);
  metrics.manifestsRefused.inc(report.refusals.length);
  if (report.historyRewritten) metrics.resyncs.inc({ trigger: 'history-rewrite' });
  const { from, to, kind, commitsApplied: commits, versionsCreated: versions } = report;
  if (commits > 0 || report.historyRewritten || kind === 'resync') {
    const refused = report.refusals.length;
    logger.info(
      { kind, from, to, commits, versions, refused, ms: report.durationMs },
      'pass applied',
    );
  } else {
    logger.debug({ at: to, ms: report.durationMs }, 'pass: nothing new to apply');
  }
  for (const refusal of report.refusals) {
    logger.warn(
      {
        file: refusal.file,
        revision: refusal.revision,
        pointer: refusal.pointer || '/',
        code: refusal.code,
      },
      `refused ${refusal.file}: ${refusal.message}`,
    );
  }
}
