import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/cli/commands/sync.js';
import type { RevisionDecision, SyncReport } from '../../../src/sync/types.js';

const SHA = 'c'.repeat(40);

function decision(i: number): RevisionDecision {
  return {
    revision: SHA,
    slug: `connector-${i}`,
    file: `manifests/connector-${i}.json`,
    action: 'version',
    from: '1.0.0',
    to: '1.1.0',
    bump: 'minor',
    reasons: [`action \`list_${i}\` added: minor`, `the content changed: 1.0.0 -> 1.1.0 (${i})`],
  };
}

function report(count: number, extra: RevisionDecision[] = []): SyncReport {
  return {
    kind: 'sync',
    dryRun: false,
    repository: 'r',
    branch: 'main',
    from: 'a'.repeat(40),
    to: SHA,
    commitsApplied: count,
    connectorsCreated: 0,
    versionsCreated: count,
    refusals: [],
    historyRewritten: false,
    decisions: [...Array.from({ length: count }, (_, i) => decision(i)), ...extra],
    durationMs: 1,
  };
}

describe("sync's text report shows every decision's reasons, however long", () => {
  it.each([1, 100, 101, 1000])('%i decisions: every reason is printed', (count) => {
    const text = formatReport(report(count)).join('\n');
    for (const d of report(count).decisions)
      for (const reason of d.reasons) expect(text).toContain(reason);
  });

  it('up to 100 decisions: each reason on its own line below its decision', () => {
    const lines = formatReport(report(100));
    expect(lines).toHaveLength(100 * 3 + 1);
    expect(lines.slice(0, 3)).toEqual([
      'cccccccccc  version   connector-0 1.0.0 → 1.1.0 (minor)',
      '            - action `list_0` added: minor',
      '            - the content changed: 1.0.0 -> 1.1.0 (0)',
    ]);
  });

  it('past 100: one line per decision with its reasons, and a line saying how to read it', () => {
    const unchanged: RevisionDecision = {
      ...decision(9999),
      action: 'unchanged',
      to: '1.0.0',
      bump: 'none',
      reasons: [],
    };
    const lines = formatReport(report(300, [unchanged]));
    // One line per decision, a note, the summary: no flood of reason lines.
    expect(lines).toHaveLength(301 + 2);
    expect(lines[0]).toBe(
      'cccccccccc  version   connector-0 1.0.0 → 1.1.0 (minor) — action `list_0` added: minor · the content changed: 1.0.0 -> 1.1.0 (0)',
    );
    expect(lines[300]).toBe('cccccccccc  unchanged connector-9999 1.0.0');
    expect(lines[301]).toMatch(
      /^\(301 decisions, one line each: its reasons follow the —; `--json`/,
    );
    expect(lines.join('\n')).not.toMatch(/left out/);
  });
});
