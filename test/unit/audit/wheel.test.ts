import { describe, expect, it } from 'vitest';
import { formatHistory } from '../../../src/audit/formatHistory.js';
import { formatVersion } from '../../../src/audit/formatVersion.js';
import { renderConnectors } from '../../../src/audit/renderConnectors.js';
import type { ConnectorSummary, VersionRecord } from '../../../src/audit/types.js';

const WHEEL = 'https://wheels.example.com/gmail/gmail-1.1.0-py3-none-any.whl';
const version = (v: string, wheelUrl: string | null): VersionRecord => ({
  slug: 'gmail',
  version: v,
  latest: false,
  createdAt: new Date('2026-01-03T10:00:00Z'),
  bump: 'patch',
  reasons: ['why'],
  contentHash: 'h',
  blobOid: null,
  wheelUrl,
  authMode: 'OAUTH2',
  commit: null,
});
const connector: ConnectorSummary = {
  slug: 'gmail',
  name: 'Gmail',
  status: 'beta',
  isPlatform: true,
  createdAt: new Date(0),
  versionCount: 3,
  latest: null,
};

function page(history: VersionRecord[]): string {
  return renderConnectors({
    connectors: [connector],
    total: 1,
    histories: new Map([['gmail', history]]),
    commitUrl: null,
  });
}

describe('the wheel in the audit output', () => {
  it('show prints the wheel, or - without one', () => {
    expect(formatVersion({ ...version('1.1.0', WHEEL), manifest: {} })).toContain(
      `wheel      ${WHEEL}`,
    );
    expect(formatVersion({ ...version('1.0.0', null), manifest: {} })).toContain('wheel      -');
  });

  it('history prints the wheel under the versions that have one', () => {
    const lines = formatHistory(connector, [version('1.1.0', WHEEL), version('1.0.0', null)]);
    expect(lines.filter((line) => line.includes('wheel'))).toEqual([
      `${' '.repeat(9)}wheel ${WHEEL}`,
    ]);
  });

  it('the page links an https wheel and shows - for none', () => {
    const html = page([version('1.1.0', WHEEL), version('1.0.0', null)]);
    expect(html).toContain('<th>Wheel</th>');
    expect(html).toContain(
      `<td class="wheel"><a href="${WHEEL}" rel="noreferrer"><code>${WHEEL}</code></a></td>`,
    );
    expect(html).toContain('<td class="wheel none">-</td>');
  });

  it.each([
    'javascript:alert(1)//.whl',
    'https://x.example.com/"><script>alert(1)</script>.whl',
    'data:text/html,<b>x</b>',
  ])('a hand-made row with a hostile wheel_url is text, escaped, never a link: %s', (hostile) => {
    const html = page([version('1.0.0', hostile)]);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/href="(javascript|data):/);
    expect(html).toMatch(/<td class="wheel"><code>[^<]*<\/code><\/td>/);
  });
});
