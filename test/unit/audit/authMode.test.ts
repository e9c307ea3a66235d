import { describe, expect, it } from 'vitest';
import { formatVersion } from '../../../src/audit/formatVersion.js';
import { renderConnectors } from '../../../src/audit/renderConnectors.js';
import type { ConnectorSummary, VersionRecord } from '../../../src/audit/types.js';

const version = (authMode: string | null): VersionRecord => ({
  slug: 'activecampaign',
  version: '2.0.0',
  latest: true,
  createdAt: new Date('2026-01-03T10:00:00Z'),
  bump: 'major',
  reasons: [],
  contentHash: 'h',
  blobOid: null,
  authMode,
  wheelUrl: null,
  commit: null,
});

const connector = (latest: VersionRecord | null): ConnectorSummary => ({
  slug: 'activecampaign',
  name: 'ActiveCampaign',
  status: 'beta',
  isPlatform: true,
  createdAt: new Date(0),
  versionCount: 1,
  latest,
});

function page(latest: VersionRecord | null): string {
  return renderConnectors({
    connectors: [connector(latest)],
    total: 1,
    histories: new Map(),
    commitUrl: null,
  });
}

describe('the auth mode for people', () => {
  it('the page shows the latest version’s auth mode beside its number', () => {
    expect(page(version('API_KEY'))).toContain(
      '<span class="latest">2.0.0</span> <span class="auth" title="auth mode">API_KEY</span>',
    );
  });

  it('shows nothing when there is no mode or no version, and escapes what it shows', () => {
    expect(page(version(null))).not.toContain('class="auth"');
    expect(page(null)).not.toContain('class="auth"');
    expect(page(version('<b>x</b>'))).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('show prints it', () => {
    const lines = formatVersion({ ...version('BASIC'), manifest: {} });
    expect(lines).toContain('auth mode  BASIC');
    expect(formatVersion({ ...version(null), manifest: {} })).toContain('auth mode  -');
  });
});
