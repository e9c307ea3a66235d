import type { Config } from '../../config.js';
import { formatLocation } from '../../manifest/location.js';
import type { SyncStatus } from '../../query/readStatus.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines, short } from '../output.js';
import { type ReadFlags, withReader } from '../withReader.js';

/** The status for a person. */
export function formatStatus(status: SyncStatus): string[] {
  const run = status.lastRun;
  const control = status.control;
  const lines = [
    `branch    ${status.branch} (repository ${short(status.repository)})`,
    `folder    ${status.path || '.'}${status.recorded ? '' : ' (not recorded yet: the first sync records branch and folder)'}`,
    `head      ${short(status.head)}`,
    `cursor    ${status.cursor ? `${short(status.cursor)} at ${status.cursorUpdatedAt?.toISOString()}` : 'none: never synced'}`,
    `behind    ${status.behind === null ? 'the cursor is not on the branch (history rewritten): the next sync resyncs from the head' : `${status.behind} commit(s)`}`,
    `last run  ${run ? `${run.kind} ${run.outcome} at ${run.finished_at.toISOString()}: ${run.commits_applied} commit(s), ${run.versions_created} version(s), ${run.manifests_refused} refused${run.error ? ` (${run.error})` : ''}` : 'none'}`,
    `syncing   ${control?.suspended ? `SUSPENDED since ${control.suspended_at?.toISOString()} by ${control.suspended_by}${control.suspend_reason ? `: ${control.suspend_reason}` : ''}` : 'active'}`,
    `resync    ${control?.last_resync_at ? `last forced ${control.last_resync_at.toISOString()} (${control.last_resync_trigger}): ${control.last_resync_outcome}, ${control.last_resync_detail}` : 'never forced'}`,
    `refused   ${status.refusals.length} open`,
  ];
  for (const r of status.refusals) {
    const where = formatLocation(r);
    lines.push(
      `  ${where} (at ${short(r.commit_sha)}): ${r.pointer || '/'}: ${r.message} [${r.code}]`,
    );
  }
  return lines;
}

/** `manifest-sync status [--daemon URL]`. */
export async function statusCommand(config: Config, flags: ReadFlags): Promise<number> {
  const status = await withReader(config, flags, 'manifest-sync status', (reader) =>
    reader.readStatus(),
  );
  if (config.json) printJson(status);
  else printLines(formatStatus(status));
  return ExitCode.ok;
}
