import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCheckGithub,
  formatCheckMarkdown,
  formatCheckText,
  gateTripped,
  toCheckOutput,
} from '../../../src/cli/commands/checkFormats.js';
import type { CheckEntry } from '../../../src/plan/checkEntries.js';
import type { Refusal } from '../../../src/plan/types.js';
import type { CheckReport } from '../../../src/sync/checkRevisions.js';
import type { Bump } from '../../../src/versioning/types.js';

const SHA = 'a'.repeat(40);

function entry(overrides: Partial<CheckEntry> = {}): CheckEntry {
  return {
    revision: SHA,
    slug: 'gmail',
    file: 'manifests/gmail.json',
    change: 'changed',
    renamedFrom: null,
    action: 'version',
    from: '1.0.0',
    to: '1.1.0',
    bump: 'minor',
    reasons: ['action `list` added'],
    refusals: [],
    ...overrides,
  };
}

function report(entries: CheckEntry[], refusals: Refusal[] = []): CheckReport {
  return {
    base: 'b'.repeat(40),
    head: SHA,
    mode: 'squashed',
    versionsFrom: 'base',
    commits: 1,
    entries,
    refusals,
    bump: 'minor',
  };
}

describe('--fail-on', () => {
  const table: [Bump[], 'major' | 'minor' | null, boolean][] = [
    [['major'], 'major', true],
    [['minor', 'patch'], 'major', false],
    [['minor'], 'minor', true],
    [['major'], 'minor', true],
    [['patch', 'none'], 'minor', false],
    [[], 'minor', false],
    [['major'], null, false],
  ];
  it.each(table)('bumps %j with --fail-on %s trips: %s', (bumps, failOn, tripped) => {
    expect(gateTripped(report(bumps.map((bump) => entry({ bump }))), failOn)).toBe(tripped);
  });
});

describe('--format github', () => {
  it('escapes what would end a property or the message, so a file name cannot forge a command', () => {
    const hostile = 'manifests/a,line=1::error::pwned%0A\r\n.json';
    const refusal: Refusal = {
      file: hostile,
      revision: SHA,
      slug: 'x',
      pointer: '/name',
      line: 2,
      column: 5,
      code: 'schema',
      message: 'bad\n::error file=x::forged 100%',
    };
    const lines = formatCheckGithub(toCheckOutput(report([], [refusal]), null));
    expect(lines[0]).toBe(
      '::error file=manifests/a%2Cline=1%3A%3Aerror%3A%3Apwned%250A%0D%0A.json,line=2,col=5,' +
        'title=manifest refused [schema]::/name: bad%0A::error file=x::forged 100%25',
    );
  });

  it('every annotation is one line whatever the strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (file, reason, message) => {
        const output = toCheckOutput(
          report(
            [entry({ file, reasons: [reason] })],
            [{ file, revision: SHA, slug: 's', pointer: '', code: 'c', message }],
          ),
          'minor',
        );
        for (const line of formatCheckGithub(output)) {
          expect(line).not.toMatch(/[\r\n]/);
        }
      }),
    );
  });

  it('a position-less refusal names the file only; a gated bump is a warning', () => {
    const output = toCheckOutput(
      report(
        [entry({ bump: 'major' })],
        [{ file: 'f.json', revision: SHA, slug: 'f', pointer: '', code: 'c', message: 'm' }],
      ),
      'major',
    );
    const lines = formatCheckGithub(output);
    expect(lines[0]).toMatch(/^::warning file=manifests\/gmail\.json,title=/);
    expect(lines[1]).toBe('::error file=f.json,title=manifest refused [c]::/: m');
  });
});

describe('--format markdown', () => {
  it('keeps a hostile cell inside its cell: no pipe, no newline, no HTML', () => {
    const output = toCheckOutput(
      report([
        entry({
          slug: 'x|y',
          reasons: ['<img src=x onerror=alert(1)> | next\ncell'],
        }),
      ]),
      null,
    );
    const row = formatCheckMarkdown(output).find((line) => line.startsWith('| `x'));
    expect(row).toBe(
      '| `x\\|y` | changed | version | 1.0.0 → 1.1.0 | minor | &lt;img src=x onerror=alert(1)&gt; \\| next cell |',
    );
  });

  it('every row has as many cells as the header, whatever the strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (slug, reason, file) => {
        const lines = formatCheckMarkdown(
          toCheckOutput(report([entry({ slug, file, reasons: [reason] })]), null),
        );
        const cells = (line: string) => line.replaceAll('\\|', '').split('|').length;
        const header = lines.find((line) => line.startsWith('| connector'));
        const row = lines.at(-1) ?? '';
        expect(row).not.toMatch(/[\r\n<>]/);
        expect(cells(row)).toBe(cells(header ?? ''));
      }),
    );
  });
});

describe('--format markdown, per commit', () => {
  it('adds a commit column and says per commit', () => {
    const lines = formatCheckMarkdown(
      toCheckOutput({ ...report([entry()]), mode: 'per-commit', commits: 2 }, 'minor'),
    );
    expect(lines[2]).toMatch(
      /per commit: each of the 2 commit\(s\) in turn.*\*\*--fail-on minor\*\*/,
    );
    expect(lines).toContain('| commit | connector | change | action | version | bump | why |');
    expect(lines).toContain(
      "| aaaaaaaaaa | `gmail` | changed | version | 1.0.0 → 1.1.0 | minor | action 'list' added |",
    );
  });
});

describe('text', () => {
  it('says squashed or per commit, and ends with the summary', () => {
    const squashed = formatCheckText(toCheckOutput(report([entry()]), null));
    expect(squashed[0]).toMatch(/^check bbbbbbbbbb\.\.aaaaaaaaaa \(squashed: /);
    expect(squashed.at(-1)).toBe(
      '1 connector(s) changed: 0 major, 1 minor, 0 patch, 0 none; 0 refused',
    );
    const perCommit = formatCheckText(
      toCheckOutput({ ...report([entry()]), mode: 'per-commit', commits: 3 }, null),
    );
    expect(perCommit[0]).toMatch(/\(per commit: each of the 3 commit\(s\) in turn/);
    expect(perCommit[1]).toBe('aaaaaaaaaa  changed  gmail version 1.0.0 → 1.1.0 (minor)');
  });
});
