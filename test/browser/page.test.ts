import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, manifestText } from '../helpers/manifestBuilder.js';
import { skipping } from '../helpers/skip.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  startTestDaemon,
  testConfig,
} from '../integration/daemon/harness.js';

/** Debian's chromium (.ci/run installs it); CI must have it, a developer's machine may not. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`CI needs ${CHROMIUM} for the page test (.ci/run installs it)`);

const cleanup = new Cleanup();
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await cleanup.run();
  await testDb.drop();
});

describe.skipIf(
  skipping(
    !available,
    `needs Chromium at ${CHROMIUM} (set CHROMIUM_PATH; .ci/run installs Debian's chromium)`,
  ),
)('the status page in a real browser', () => {
  it('shows the sync status and each connector with its version history and commit links', async () => {
    const repo = createManifestRepo(cleanup);
    repo.write(
      'manifests/hubspot.json',
      manifestText(buildManifest({ slug: 'hubspot', name: 'HubSpot' })),
    );
    repo.commit('Add HubSpot', { author: { name: 'Ada Lovelace', email: 'ada@example.com' } });
    commitManifest(repo, 'zoom', 'Video meetings');
    const changed = buildManifest({
      slug: 'hubspot',
      name: 'HubSpot',
      description: 'CRM <b>and</b> marketing',
    });
    repo.write('manifests/hubspot.json', manifestText(changed));
    const head = repo.commit('Describe HubSpot better', {
      author: { name: 'Grace Hopper', email: 'grace@example.com' },
    });

    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup, {
      daemon: { commitUrl: 'https://git.example.com/registry/commit/{sha}' },
    });
    const deadline = Date.now() + 15_000;
    while ((await fetch(`${daemon.url}/readyz`)).status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    cleanup.defer(() => browser.close());
    const page = await browser.newPage();
    const response = await page.goto(daemon.url);
    expect(response?.status()).toBe(200);

    await expect.poll(() => page.textContent('#status-head')).toContain(head.slice(0, 10));
    expect(await page.textContent('#status-lag')).toMatch(/\b0\b/);
    expect(await page.textContent('#status-syncing')).toBe('active');
    expect(await page.textContent('#status-resync')).toBe('never forced');
    const slugs = await page.$$eval('.connector', (nodes) =>
      nodes.map((n) => n.getAttribute('data-slug')),
    );
    expect(slugs).toEqual(['hubspot', 'zoom']);

    const hubspot = page.locator('.connector[data-slug="hubspot"]');
    await hubspot.locator('summary').click();
    const rows = hubspot.locator('tr.version');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().getAttribute('data-version')).toBe('1.0.1');
    const newest = await rows.first().textContent();
    expect(newest).toContain('Grace Hopper');
    expect(newest).toContain('Describe HubSpot better');
    expect(newest).toContain('patch');
    const link = rows.first().locator(`a[href="https://git.example.com/registry/commit/${head}"]`);
    expect(await link.count()).toBe(1);
    // Manifest text is escaped, never markup.
    expect(await page.locator('.connector b').count()).toBe(0);

    await page.screenshot({
      path: process.env.PAGE_SCREENSHOT ?? join(testDb.dataDir, 'page.png'),
      fullPage: true,
    });
  });
});
