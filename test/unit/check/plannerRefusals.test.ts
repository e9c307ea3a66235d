import { describe, expect, it } from 'vitest';
import {
  formatCheckGithub,
  formatCheckMarkdown,
  formatCheckText,
  toCheckOutput,
} from '../../../src/cli/commands/checkFormats.js';
import { computeCheckEntries } from '../../../src/plan/checkEntries.js';
import type { ConnectorState } from '../../../src/plan/types.js';
import type { CheckReport } from '../../../src/sync/checkRevisions.js';
import { buildFile, buildState, planFiles, replayRevisions } from '../../helpers/planBuilder.js';

const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);

/** The 1-based line and column where `"key":` is written in a text. */
function keyAt(text: string, key: string): { line: number; column: number } {
  const lines = text.slice(0, text.indexOf(`"${key}":`)).split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** check's report for one changed gmail.json, planned by the real planner over `state`. */
function checkOf(manifest: Record<string, unknown>, state: ConnectorState) {
  const file = buildFile('gmail', manifest);
  const plan = planFiles([file], new Map([['gmail', state]]), { policy: 'strict', sha: HEAD });
  const change = {
    status: 'modified' as const,
    oldPath: file.path,
    newPath: file.path,
    oldOid: '1'.repeat(40),
    newOid: '2'.repeat(40),
  };
  const report: CheckReport = {
    base: BASE,
    head: HEAD,
    mode: 'squashed',
    versionsFrom: 'base',
    commits: 1,
    entries: computeCheckEntries(plan, [change]),
    refusals: plan.refusals,
    bump: 'none',
  };
  return { output: toCheckOutput(report, null), text: file.text as string };
}

const gmail = replayRevisions([[buildFile('gmail', { version: undefined })]]).state.get(
  'gmail',
) as ConnectorState;

describe("check: the planner's refusals are located like the parser's (issue 18)", () => {
  it.each<[string, Record<string, unknown>, ConnectorState, string, string]>([
    ['version-policy', { version: '0.9.0', description: 'Mail.' }, gmail, 'version', '/version'],
    ['slug-conflict', {}, buildState('gmail', { isPlatform: false }), 'slug', '/slug'],
  ])(
    '%s: file, pointer, line and column in every format',
    (code, manifest, state, key, pointer) => {
      const { output, text } = checkOf(manifest, state);
      const { line, column } = keyAt(text, key);
      expect(line).toBeGreaterThan(1);

      // --json: the refusal and the connector's entry carry the position.
      const json = JSON.parse(JSON.stringify(output));
      const refusal = { file: 'manifests/gmail.json', pointer, line, column, code };
      expect(json.refusals).toEqual([expect.objectContaining(refusal)]);
      expect(json.entries[0].refusals).toEqual([expect.objectContaining(refusal)]);

      expect(formatCheckText(output)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^refused: manifests/gmail\\.json:${line}:${column} .*: ${pointer}: .*\\[${code}\\]$`,
          ),
        ),
      );
      expect(formatCheckGithub(output)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^::error file=manifests/gmail\\.json,line=${line},col=${column},title=manifest refused \\[${code}\\]::${pointer}: `,
          ),
        ),
      );
      expect(formatCheckMarkdown(output)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^\\| manifests/gmail\\.json \\| ${line}:${column} \\| ${pointer} \\| .*\\[${code}\\] \\|$`,
          ),
        ),
      );
    },
  );
});
