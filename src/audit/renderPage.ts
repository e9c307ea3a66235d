import { formatLocation } from '../manifest/location.js';
import type { SyncStatus } from '../query/readStatus.js';
import type { ActionRecord } from './actionTypes.js';
import { commitLink, escapeHtml } from './html.js';
import { renderActions } from './renderActions.js';
import { renderConnectors } from './renderConnectors.js';
import { formatDate } from './text.js';
import type { ConnectorSummary, VersionRecord } from './types.js';

/** Everything the page shows, read beforehand. */
export interface PageInput {
  /** The sync status, or why it could not be read. */
  status: SyncStatus | { error: string };
  connectors: readonly ConnectorSummary[];
  /** How many connectors there are in all (the page may show fewer). */
  total: number;
  histories: ReadonlyMap<string, readonly VersionRecord[]>;
  /** `https://host/org/repo/commit/{sha}`, or null for plain shas. */
  commitUrl: string | null;
  generatedAt: Date;
  /** The search the connector list is filtered by, if any. */
  search?: string | null;
  /** The next page's `?after=` token, when more connectors follow. */
  next?: string | null;
  /** The newest operator actions and how many there are; no section when absent. */
  actions?: { total: number; actions: readonly ActionRecord[] };
}

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.4rem 0 .6rem}
code{font:12.5px ui-monospace,monospace}a{color:#0550ae}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{color:#57606a}dd{margin:0}
.error,.warn{color:#b3261e}.ok{color:#1a7f37}.note,.empty,.generated{color:#57606a}
details.connector{border:1px solid #d0d7de;border-radius:6px;margin:.35rem 0;padding:.35rem .7rem}
details.connector[open]{background:#f6f8fa}summary{cursor:pointer}
.slug{font-weight:600}.state,.latest,.count{color:#57606a;margin-left:.5rem}.latest{font-family:ui-monospace,monospace}
table.versions{border-collapse:collapse;margin:.5rem 0;width:100%;background:#fff}
.versions th,.versions td{border-top:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
.versions ul{margin:0;padding-left:1rem}.email{color:#57606a}
.badge{font-size:11px;border:1px solid currentColor;border-radius:4px;padding:0 .25rem;margin-left:.3rem}
.bump-major{color:#b3261e}.bump-minor{color:#9a6700}.bump-patch{color:#1a7f37}
form.search{margin:.4rem 0}.more,.pages{margin:.4rem 0}
`;

/** The colour an outcome means: green only when everything applied; refused or interrupted warn. */
export function outcomeClass(outcome: string | null | undefined): 'ok' | 'warn' | 'error' {
  if (outcome === 'applied' || outcome === 'noop') return 'ok';
  return outcome === 'failed' ? 'error' : 'warn';
}

function renderRun(run: NonNullable<SyncStatus['lastRun']>): string {
  const outcome = `<span class="${outcomeClass(run.outcome)}">${escapeHtml(run.outcome)}</span>`;
  const counts = `${run.commits_applied} commit(s), ${run.versions_created} version(s), ${run.manifests_refused} refused`;
  const error = run.error ? ` <span class="error">${escapeHtml(run.error)}</span>` : '';
  return `${escapeHtml(run.kind)} ${outcome} at <time datetime="${run.finished_at.toISOString()}">${formatDate(run.finished_at)} UTC</time>: ${counts}${error}`;
}

/** Suspension and the last forced resync, from the operator controls. */
function renderControl(control: SyncStatus['control']): { syncing: string; resync: string } {
  const syncing = control?.suspended
    ? `<span class="warn">suspended</span> since ${control.suspended_at ? `${formatDate(control.suspended_at)} UTC` : '?'} by ${escapeHtml(control.suspended_by ?? '?')}${control.suspend_reason ? `: ${escapeHtml(control.suspend_reason)}` : ''}`
    : '<span class="ok">active</span>';
  const resync = control?.last_resync_at
    ? `${formatDate(control.last_resync_at)} UTC (${escapeHtml(control.last_resync_trigger ?? '?')}): <span class="${outcomeClass(control.last_resync_outcome)}">${escapeHtml(control.last_resync_outcome ?? '?')}</span>, ${escapeHtml(control.last_resync_detail ?? '')}`
    : 'never forced';
  return { syncing, resync };
}

/** The sync status section (`#status`): head, cursor, lag, last run and open refusals. */
function renderStatus(status: PageInput['status'], commitUrl: string | null): string {
  if ('error' in status)
    return `<section id="status" class="error"><h2>Sync status</h2><p>status unavailable: ${escapeHtml(status.error)}</p></section>`;
  const cursor = status.cursor
    ? `${commitLink(status.cursor, commitUrl)} at ${formatDate(status.cursorUpdatedAt ?? new Date(0))} UTC`
    : 'none: never synced';
  const lag =
    status.behind === null
      ? '<span class="warn">the cursor is off the branch (history rewritten): the next sync resyncs from the head</span>'
      : `<span class="${status.behind > 0 ? 'warn' : 'ok'}">${status.behind} commit(s) behind</span>`;
  const refusals = status.refusals
    .map((r) => {
      const where = formatLocation(r);
      return `<li class="refusal"><code>${escapeHtml(where)}</code> ${escapeHtml(r.pointer || '/')}: ${escapeHtml(r.message)} [${escapeHtml(r.code)}] at ${commitLink(r.commit_sha, commitUrl)}</li>`;
    })
    .join('\n');
  const control = renderControl(status.control);
  return `<section id="status"><h2>Sync status</h2><dl>
<dt>Branch</dt><dd id="status-branch">${escapeHtml(status.branch)}</dd>
<dt>Head</dt><dd id="status-head">${commitLink(status.head, commitUrl)}</dd>
<dt>Cursor</dt><dd id="status-cursor">${cursor}</dd>
<dt>Lag</dt><dd id="status-lag">${lag}</dd>
<dt>Last run</dt><dd id="status-last-run">${status.lastRun ? renderRun(status.lastRun) : 'none'}</dd>
<dt>Syncing</dt><dd id="status-syncing">${control.syncing}</dd>
<dt>Forced resync</dt><dd id="status-resync">${control.resync}</dd>
<dt>Refused</dt><dd id="status-refusals"><span class="${status.refusals.length ? 'warn' : 'ok'}">${status.refusals.length} open</span></dd>
</dl>${refusals ? `\n<ul class="refusals">${refusals}</ul>` : ''}</section>`;
}

/**
 * The daemon's page for people: self-contained HTML (inline CSS, no scripts, no external assets),
 * every value escaped. Stable hooks for tests: `#status`, `.connector`, `.version`. Pure.
 */
export function renderPage(input: PageInput): string {
  return renderDocument({
    title: 'manifest-sync',
    generatedAt: input.generatedAt,
    body: `${renderStatus(input.status, input.commitUrl)}\n${input.actions ? renderActions(input.actions.actions, input.actions.total) : ''}\n${renderConnectors(input)}`,
  });
}

/** The shell every page shares: head, inline CSS, the header with the time it was made. Pure. */
export function renderDocument(input: { title: string; generatedAt: Date; body: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(input.title)}</title><style>${CSS}</style></head>
<body><header><h1>manifest-sync</h1><p class="generated">generated <time datetime="${input.generatedAt.toISOString()}">${formatDate(input.generatedAt)} UTC</time></p></header>
${input.body}
</body></html>
`;
}
