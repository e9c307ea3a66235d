import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import type { ManifestFile } from '../../../src/plan/types.js';
import { buildAction, buildManifest } from '../../helpers/manifestBuilder.js';
import { buildFile, planFiles, replayRevisions } from '../../helpers/planBuilder.js';

const SLUGS = ['alpha', 'beta'] as const;

/**
 * One manifest edit: one of a few contents (a patch, a minor, a major and a rename with a status
 * change apart) and the author's version, from pools small enough that edits collide and revert.
 */
const edit = fc.record({
  content: fc.constantFrom(
    {},
    { description: 'Reworded.' },
    { actions: { ...buildManifest().actions, list: buildAction({ name: 'List' }) } },
    { actions: { list: buildAction({ name: 'List' }) } },
    { name: 'Renamed', status: 'stable' },
  ),
  version: fc.constantFrom(undefined, '0.1.0', '1.0.0', '1.0.1', '2.0.0-rc.1', '3.0.0'),
});

/** A revision: each slug at most once, rewritten or deleted (null). */
const revision = fc
  .uniqueArray(fc.record({ slug: fc.constantFrom(...SLUGS), edit: fc.option(edit) }), {
    selector: (change) => change.slug,
    maxLength: SLUGS.length,
  })
  .map((changes) =>
    changes.map(({ slug, edit }) =>
      buildFile(slug, edit && { ...edit.content, version: edit.version }),
    ),
  );

const history = fc.array(revision, { maxLength: 6 });
const policy = fc.constantFrom('auto' as const, 'strict' as const);
const RUNS = { numRuns: 25 };

/** The same manifests written differently: keys reversed, no indentation. Same content. */
function reformat(file: ManifestFile): ManifestFile {
  if (file.text === null) return file;
  const value = JSON.parse(file.text) as Record<string, unknown>;
  const reversed = Object.fromEntries(Object.entries(value).reverse());
  return { ...file, oid: `${file.oid}-reformatted`, text: JSON.stringify(reversed) };
}

describe('the planner over any history', () => {
  it('versions strictly increase per connector, one at most per revision', () => {
    fc.assert(
      fc.property(history, policy, (revisions, policy) => {
        const { plans } = replayRevisions(revisions, { policy });
        const last = new Map<string, string>();
        for (const plan of plans) {
          const slugs = plan.newVersions.map((v) => v.slug);
          expect(new Set(slugs).size).toBe(slugs.length);
          for (const v of plan.newVersions) {
            const before = last.get(v.slug);
            if (before)
              expect(semver.gt(v.version, before), `${v.slug} ${before} -> ${v.version}`).toBe(
                true,
              );
            last.set(v.slug, v.version);
          }
        }
      }),
      RUNS,
    );
  });

  it('replanning the same input gives the same plan', () => {
    fc.assert(
      fc.property(history, policy, (revisions, policy) => {
        expect(replayRevisions(revisions, { policy })).toEqual(
          replayRevisions(revisions, { policy }),
        );
      }),
      RUNS,
    );
  });

  it('a no-op change plans nothing: the last revision again, as written or reformatted', () => {
    fc.assert(
      fc.property(history, policy, fc.boolean(), (revisions, policy, reformatted) => {
        const { state } = replayRevisions(revisions, { policy });
        const again = (revisions.at(-1) ?? []).map(reformatted ? reformat : (f: ManifestFile) => f);
        const plan = planFiles(again, state, { policy });
        expect({
          newConnectors: plan.newConnectors,
          newVersions: plan.newVersions,
          pointerMoves: plan.pointerMoves,
          connectorUpdates: plan.connectorUpdates,
        }).toEqual({ newConnectors: [], newVersions: [], pointerMoves: [], connectorUpdates: [] });
        expect(plan.decisions.every((d) => d.action === 'unchanged' || d.action === 'refuse')).toBe(
          true,
        );
      }),
      RUNS,
    );
  });
});
