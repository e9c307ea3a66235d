import type { CheckEntry } from '../../plan/checkEntries.js';
import type { Refusal } from '../../plan/types.js';
import type { CheckReport } from '../../sync/checkRevisions.js';
import { compareBumps } from '../../versioning/index.js';
import type { Bump } from '../../versioning/types.js';
import { short } from '../output.js';
import { formatProblem } from './validate.js';

/** `--fail-on`: the smallest bump that needs a person's approval. */
export type FailOn = 'major' | 'minor';

/** The JSON `check --json` prints: one object, its shape documented in docs/check.md. */
export interface CheckOutput extends CheckReport {
  /** Bumped when a field changes meaning or goes away; new fields may be added within a version. */
  schemaVersion: 1;
  summary: {
    connectors: number;
    refused: number;
    bumps: Record<Bump, number>;
  };
  gate: { failOn: FailOn | null; tripped: boolean };
}

/** Whether `--fail-on` trips: some entry bumps at least that far. */
export function gateTripped(report: CheckReport, failOn: FailOn | null): boolean {
  return failOn !== null && report.entries.some((e) => compareBumps(e.bump, failOn) >= 0);
}

/** The report with its summary and gate, as `--json` prints it. */
export function toCheckOutput(report: CheckReport, failOn: FailOn | null): CheckOutput {
  const bumps: Record<Bump, number> = { major: 0, minor: 0, patch: 0, none: 0 };
  for (const entry of report.entries) bumps[entry.bump]++;
  return {
    schemaVersion: 1,
    ...report,
    summary: {
      connectors: new Set(report.entries.map((e) => e.slug)).size,
      refused: report.entries.filter((e) => e.action === 'refuse').length,
      bumps,
    },
    gate: { failOn, tripped: gateTripped(report, failOn) },
  };
}

function modeLine(report: CheckReport): string {
  const mode =
    report.mode === 'squashed'
      ? 'squashed: the whole change as one commit, as a squash merge applies it'
      : `per commit: each of the ${report.commits} commit(s) in turn, as sync applies a merge`;
  const versions =
    report.versionsFrom === 'database'
      ? "versions from the database's latest"
      : "versions from the base's manifests";
  return `${mode}; ${versions}`;
}

function versions(e: CheckEntry): string {
  if (e.action === 'refuse') return e.from ?? '';
  if (e.from === e.to || e.to === null) return e.from ?? '';
  return `${e.from ?? '(new)'} → ${e.to}`;
}

function changeLabel(e: CheckEntry): string {
  return e.renamedFrom ? `${e.change} (from ${e.renamedFrom})` : e.change;
}

function summaryLine(output: CheckOutput): string {
  const { bumps, connectors, refused } = output.summary;
  const gate = output.gate.tripped ? `; --fail-on ${output.gate.failOn} tripped` : '';
  return (
    `${connectors} connector(s) changed: ${bumps.major} major, ${bumps.minor} minor, ${bumps.patch} patch, ` +
    `${bumps.none} none; ${refused} refused${gate}`
  );
}

/** For a person: the range and mode, one block per connector, refusals like a compiler's, a summary. */
export function formatCheckText(output: CheckOutput): string[] {
  const lines = [`check ${short(output.base)}..${short(output.head)} (${modeLine(output)})`];
  const perCommit = output.mode === 'per-commit';
  for (const e of output.entries) {
    const bump = e.bump === 'none' ? '' : ` (${e.bump})`;
    const at = perCommit ? `${short(e.revision)}  ` : '';
    lines.push(
      `${at}${e.change.padEnd(8)} ${e.slug} ${e.action} ${versions(e)}${bump}`.trimEnd() +
        (e.renamedFrom ? ` (renamed from ${e.renamedFrom})` : ''),
    );
    if (e.action !== 'refuse') for (const reason of e.reasons) lines.push(`    - ${reason}`);
  }
  for (const refusal of output.refusals) lines.push(`refused: ${formatProblem(refusal)}`);
  lines.push(summaryLine(output));
  return lines;
}

/** GitHub's workflow-command escaping: the message (`%`, CR, LF) and a property (also `:` and `,`). */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

function annotation(
  level: 'error' | 'warning' | 'notice',
  where: { file: string; line?: number | undefined; column?: number | undefined },
  title: string,
  message: string,
): string {
  const props = [`file=${escapeProperty(where.file)}`];
  if (where.line) props.push(`line=${where.line}`, `col=${where.column ?? 1}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${level} ${props.join(',')}::${escapeData(message)}`;
}

function refusalAnnotation(r: Refusal): string {
  const pointer = r.pointer || '/';
  return annotation('error', r, `manifest refused [${r.code}]`, `${pointer}: ${r.message}`);
}

/**
 * GitHub Actions workflow commands: an `::error` on the diff for every refusal (file, line,
 * column), a `::warning` (a bump `--fail-on` gates) or `::notice` for every version, a summary line.
 */
export function formatCheckGithub(output: CheckOutput): string[] {
  const lines: string[] = [];
  for (const e of output.entries) {
    if (e.action === 'refuse') continue;
    const gated = output.gate.failOn !== null && compareBumps(e.bump, output.gate.failOn) >= 0;
    const bump = e.bump === 'none' ? '' : ` (${e.bump})`;
    lines.push(
      annotation(
        gated ? 'warning' : 'notice',
        { file: e.file },
        `${e.slug}: ${e.action} ${versions(e)}${bump}`,
        [`${changeLabel(e)}: ${e.action} ${versions(e)}${bump}`, ...e.reasons].join('\n'),
      ),
    );
  }
  lines.push(...output.refusals.map(refusalAnnotation));
  lines.push(
    `manifest-sync check ${short(output.base)}..${short(output.head)}: ${summaryLine(output)}`,
  );
  return lines;
}

/** A table cell: one line, no `|` to break the table, no HTML a committer could smuggle in. */
function cell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replaceAll('`', "'")
    .replace(/[\r\n]+/g, ' ');
}

/** A summary for a pull-request comment: a heading, one table row per connector, the refusals. */
export function formatCheckMarkdown(output: CheckOutput): string[] {
  const { summary } = output;
  const highest = output.bump === 'none' ? 'no version bump' : `highest bump **${output.bump}**`;
  const lines = [
    `### manifest-sync check: ${summary.connectors} connector(s), ${highest}, ${summary.refused} refused`,
    '',
    `\`${short(output.base)}..${short(output.head)}\`, ${modeLine(output)}.` +
      (output.gate.tripped
        ? ` **--fail-on ${output.gate.failOn}**: needs a person's approval.`
        : ''),
    '',
  ];
  if (output.entries.length > 0) {
    const perCommit = output.mode === 'per-commit';
    lines.push(
      `| ${perCommit ? 'commit | ' : ''}connector | change | action | version | bump | why |`,
      `| ${perCommit ? '--- | ' : ''}--- | --- | --- | --- | --- | --- |`,
    );
    for (const e of output.entries) {
      const why = e.action === 'refuse' ? 'refused: see below' : e.reasons.join('; ');
      lines.push(
        `| ${perCommit ? `${short(e.revision)} | ` : ''}\`${cell(e.slug)}\` | ${cell(changeLabel(e))} | ${e.action} | ${cell(versions(e))} | ${e.bump} | ${cell(why)} |`,
      );
    }
  }
  if (output.refusals.length > 0) {
    lines.push(
      '',
      '**Refused**',
      '',
      '| file | line:column | pointer | problem |',
      '| --- | --- | --- | --- |',
    );
    for (const r of output.refusals) {
      const at = r.line ? `${r.line}:${r.column ?? 1}` : '';
      lines.push(
        `| ${cell(r.file)} | ${at} | ${cell(r.pointer || '/')} | ${cell(r.message)} [${cell(r.code)}] |`,
      );
    }
  }
  return lines;
}
