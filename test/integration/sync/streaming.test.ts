import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/git/index.js';
import { syncOnce } from '../../../src/sync/syncOnce.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { readNdjson } from '../../helpers/ndjson.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

const connectors = ['gmail', 'slack', 'hubspot'];
function commitEach(): string[] {
  return connectors.map((slug) => {
    h.writeManifest(buildManifest({ slug, name: slug }));
    return h.commit(`add ${slug}`);
  });
}

describe('a long sync reports as it goes', () => {
  it('hands each revision to onRevision as soon as it is applied, between the progress steps', async () => {
    const shas = commitEach();
    const seen: { revision: string; progress: number; slugs: string[] }[] = [];
    let progress = 0;
    const repository = await openRepository({ path: h.repo.path });
    try {
      await syncOnce({
        config: h.config,
        repository,
        database: await h.db(),
        logger: pino({ level: 'silent' }),
        onProgress: (done) => {
          progress = done;
        },
        onRevision: (outcome) =>
          seen.push({
            revision: outcome.revision,
            progress,
            slugs: outcome.decisions.map((d) => d.slug),
          }),
      });
    } finally {
      await repository.close();
    }
    // Commit k is reported while the progress counter is at commit k: the next batch may be read
    // from git meanwhile, but it is counted only as its commits are reported (the harness's own
    // first commit touches no manifest, hence the offset).
    const first = seen[0]?.progress ?? 0;
    expect(seen).toEqual(
      shas.map((revision, k) => ({ revision, progress: first + k, slugs: [connectors[k]] })),
    );
    expect(first).toBeLessThanOrEqual(2);
  });

  it('--json is NDJSON: one object per decision and refusal, the summary last; no progress when piped', {
    timeout: 180_000,
  }, async () => {
    commitEach();
    h.repo.write('manifests/broken.json', '{"slug": "broken"}\n');
    const bad = h.commit('broken');
    const result = await h.cli('sync', '--json');
    expect(result.code).toBe(1);
    const { lines, summary, decisions } = readNdjson(result.stdout);
    expect(decisions.map((d) => d.slug)).toEqual([...connectors, 'broken']);
    expect(decisions.at(-1)?.action).toBe('refuse');
    expect(lines.filter((l) => l.type === 'refusal').every((l) => l.revision === bad)).toBe(true);
    expect(summary).toMatchObject({ commitsApplied: 4, versionsCreated: 3 });
    expect(summary).not.toHaveProperty('decisions');
    expect(result.stderr).not.toMatch(/commit \d+ of \d+/);
  });

  it('says which manifests have uncommitted edits, which a sync does not read', {
    timeout: 180_000,
  }, async () => {
    commitEach();
    h.writeManifest(
      buildManifest({ slug: 'gmail', name: 'Gmail', description: 'Edited, not committed.' }),
    );
    h.writeManifest(buildManifest({ slug: 'notion', name: 'Notion' }));
    const result = await h.cli('sync');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('note: 2 manifest file(s) have uncommitted edits');
    expect(result.stderr).toContain('manifests/gmail.json');
    expect(result.stderr).toContain('manifests/notion.json');
    h.commit('commit them');
    expect((await h.cli('sync')).stderr).not.toContain('uncommitted');
  });
});
