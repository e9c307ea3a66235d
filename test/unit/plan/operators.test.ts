import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branchView, holdPointers, newestUnyanked, pinHolds } from '../../../src/plan/holds.js';
import type { OperatorRequest, OperatorState } from '../../../src/plan/operatorTypes.js';
import { parseOperatorRequest } from '../../../src/plan/parseOperatorRequest.js';
import { planOperatorAction } from '../../../src/plan/planOperatorAction.js';
import type { ConnectorState, SyncPlan } from '../../../src/plan/types.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const LATER = new Date('2026-06-02T12:00:00Z');

/** A connector with versions 1.0.0, 1.1.0, 2.0.0 (ids v1, v2, v3), the pointer on 2.0.0. */
function state(overrides: Partial<OperatorState> = {}): OperatorState {
  return {
    id: 'c1',
    slug: 'gmail',
    status: 'beta',
    isPlatform: true,
    latestManifestStatus: 'beta',
    latestVersionId: 'v3',
    versions: [
      { id: 'v1', version: '1.0.0', yanked: false },
      { id: 'v2', version: '1.1.0', yanked: false },
      { id: 'v3', version: '2.0.0', yanked: false },
    ],
    pin: null,
    ...overrides,
  };
}
const yanked = (ids: string[]) =>
  state().versions.map((v) => ({ ...v, yanked: ids.includes(v.id) }));
const PIN = { versionId: 'v2', until: null, by: 'alice', reason: 'incident' };

const rollback = (to: string | null = null, until: Date | null = null): OperatorRequest => ({
  action: 'rollback',
  slug: 'gmail',
  to,
  reason: 'broke',
  until,
});
const act = (action: 'pin' | 'unpin' | 'yank' | 'unyank', version: string | null = null) =>
  (action === 'unpin'
    ? { action, slug: 'gmail', reason: 'r' }
    : action === 'pin'
      ? { action, slug: 'gmail', version, reason: 'r', until: null }
      : { action, slug: 'gmail', version: version ?? '', reason: 'r' }) as OperatorRequest;

describe('planOperatorAction: accepted actions', () => {
  it.each([
    ['rollback to the one before', rollback(), state(), 'v2', { versionId: 'v2' }],
    ['rollback --to an earlier one', rollback('1.0.0'), state(), 'v1', { versionId: 'v1' }],
    ['rollback --to slug@version', rollback('gmail@1.0.0'), state(), 'v1', { versionId: 'v1' }],
    [
      'rollback skips a yanked one',
      rollback(),
      state({ versions: yanked(['v2']) }),
      'v1',
      { versionId: 'v1' },
    ],
    ['pin where it is', act('pin'), state(), 'v3', { versionId: 'v3' }],
    [
      'pin a later one',
      act('pin', '2.0.0'),
      state({ latestVersionId: 'v1' }),
      'v3',
      { versionId: 'v3' },
    ],
    [
      'unpin: the newest not yanked',
      act('unpin'),
      state({ latestVersionId: 'v2', pin: PIN }),
      'v3',
      'clear',
    ],
    [
      'unpin with the newest yanked',
      act('unpin'),
      state({ latestVersionId: 'v1', pin: { ...PIN, versionId: 'v1' }, versions: yanked(['v3']) }),
      'v2',
      'clear',
    ],
  ] as const)('%s', (_name, request, given, pointer, pin) => {
    const verdict = planOperatorAction(request, given, NOW);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.plan.pointer?.versionId).toBe(pointer);
    if (pin === 'clear') expect(verdict.plan.pin).toBe('clear');
    else expect(verdict.plan.pin).toMatchObject(pin);
    expect(verdict.plan.audit).toMatchObject({
      action: request.action,
      slug: 'gmail',
      reason: request.reason,
    });
  });

  it('yank of the latest moves the pointer back to the newest that is not yanked; the row stays', () => {
    const verdict = planOperatorAction(act('yank', '2.0.0'), state(), NOW);
    expect(verdict).toMatchObject({
      ok: true,
      plan: {
        pointer: { versionId: 'v2' },
        yank: { versionId: 'v3', yanked: true },
        audit: { fromVersion: '2.0.0', toVersion: '1.1.0', version: '2.0.0' },
      },
    });
  });

  it('yank of an older version leaves the pointer; a pin keeps it through an unyank', () => {
    expect(planOperatorAction(act('yank', '1.0.0'), state(), NOW)).toMatchObject({
      ok: true,
      plan: { pointer: null, yank: { versionId: 'v1' } },
    });
    const pinned = state({ latestVersionId: 'v2', pin: PIN, versions: yanked(['v3']) });
    expect(planOperatorAction(act('unyank', '2.0.0'), pinned, NOW)).toMatchObject({
      ok: true,
      plan: { pointer: null, yank: { versionId: 'v3', yanked: false } },
    });
    // Without a pin, the unyanked newest is the latest again.
    const unpinned = state({ latestVersionId: 'v2', versions: yanked(['v3']) });
    expect(planOperatorAction(act('unyank', '2.0.0'), unpinned, NOW)).toMatchObject({
      ok: true,
      plan: { pointer: { versionId: 'v3' } },
    });
  });
});

describe('planOperatorAction: refusals, each by its code', () => {
  it.each([
    ['an unknown slug', rollback(), null, 'unknown-connector'],
    ['an unknown version', rollback('9.9.9'), state(), 'unknown-version'],
    ["another connector's version", rollback('slack@1.0.0'), state(), 'wrong-target'],
    ['a rollback forward', rollback('2.0.0'), state({ latestVersionId: 'v2' }), 'wrong-target'],
    ['a rollback to the latest itself', rollback('2.0.0'), state(), 'wrong-target'],
    ['an until in the past', rollback(null, new Date('2020-01-01Z')), state(), 'wrong-target'],
    [
      'a rollback on a deleted connector',
      rollback(),
      state({ status: 'deprecated' }),
      'connector-gone',
    ],
    ['a pin on a deleted connector', act('pin'), state({ status: 'deprecated' }), 'connector-gone'],
    ["a user's connector", act('yank', '1.0.0'), state({ isPlatform: false }), 'connector-gone'],
    [
      'a rollback onto a yanked version',
      rollback('1.0.0'),
      state({ versions: yanked(['v1']) }),
      'yank-state',
    ],
    ['a yank twice', act('yank', '1.0.0'), state({ versions: yanked(['v1']) }), 'yank-state'],
    ['an unyank of a version not yanked', act('unyank', '1.0.0'), state(), 'yank-state'],
    ['an unpin with no pin', act('unpin'), state(), 'yank-state'],
    [
      'a yank of the pinned version',
      act('yank', '1.1.0'),
      state({ latestVersionId: 'v2', pin: PIN }),
      'yank-state',
    ],
    [
      'a rollback from the first version',
      rollback(),
      state({ latestVersionId: 'v1' }),
      'nowhere-to-go',
    ],
    [
      'a rollback with every earlier one yanked',
      rollback(),
      state({ versions: yanked(['v1', 'v2']) }),
      'nowhere-to-go',
    ],
    [
      'a yank of the last unyanked',
      act('yank', '2.0.0'),
      state({ versions: yanked(['v1', 'v2']) }),
      'nowhere-to-go',
    ],
  ] as const)('%s', (_name, request, given, code) => {
    const verdict = planOperatorAction(request, given, NOW);
    expect(verdict).toMatchObject({ ok: false, refusal: { code } });
    if (!verdict.ok) expect(verdict.refusal.message.length).toBeGreaterThan(10);
  });

  it('an author-deprecated connector (its manifest says so) may still be pinned', () => {
    const given = state({ status: 'deprecated', latestManifestStatus: 'deprecated' });
    expect(planOperatorAction(act('pin'), given, NOW).ok).toBe(true);
  });

  it('never plans the pointer onto a yanked version, whatever the state (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.constantFrom('v1', 'v2', 'v3'),
        fc.boolean(),
        fc.constantFrom(
          rollback(),
          rollback('1.0.0'),
          act('pin'),
          act('pin', '1.1.0'),
          act('unpin'),
          act('yank', '1.0.0'),
          act('yank', '2.0.0'),
          act('unyank', '1.1.0'),
        ),
        (flags, latest, pinned, request) => {
          const versions = state().versions.map((v, i) => ({ ...v, yanked: flags[i] ?? false }));
          const given = state({
            versions,
            latestVersionId: latest,
            pin: pinned ? { ...PIN, versionId: latest } : null,
          });
          const verdict = planOperatorAction(request, given, NOW);
          if (!verdict.ok || !verdict.plan.pointer) return;
          const target = verdict.plan.pointer.versionId;
          const yankedAfter =
            verdict.plan.yank?.versionId === target
              ? verdict.plan.yank.yanked
              : versions.find((v) => v.id === target)?.yanked;
          expect(yankedAfter).toBe(false);
        },
      ),
    );
  });
});

describe('holds: what a commit does to a held pointer', () => {
  const manifest = { name: 'Gmail' };
  const held = (
    pin: ConnectorState['pin'],
    versions = [
      { id: 'v1', version: '1.0.0', hash: 'a' },
      { id: 'v2', version: '2.0.0', hash: 'b' },
    ],
  ): ConnectorState => ({
    id: 'c1',
    slug: 'gmail',
    name: 'Gmail',
    status: 'beta',
    isPlatform: true,
    latest: { id: 'v1', version: '1.0.0', hash: 'a', manifest, blobOid: null, wheelUrl: null },
    versions,
    pin,
    head: { id: 'v2', version: '2.0.0', hash: 'b', manifest, blobOid: null, wheelUrl: null },
  });
  const plan = (versionId: string): SyncPlan => ({
    revision: 'r',
    commit: {
      sha: 'r',
      authorName: 'a',
      authorEmail: 'a@x',
      authoredAt: NOW,
      committedAt: NOW,
      message: 'm',
    },
    newConnectors: [],
    newVersions: [],
    pointerMoves: [{ connectorId: 'c1', slug: 'gmail', versionId, manifest: manifest as never }],
    connectorUpdates: [],
    refusals: [],
    resolvedFiles: [],
    decisions: [
      {
        slug: 'gmail',
        file: 'manifests/gmail.json',
        action: 'version',
        from: '2.0.0',
        to: '2.0.1',
        bump: 'patch',
        reasons: [],
      },
    ],
  });

  it('a holding pin keeps the pointer and says why; an expired one does not', () => {
    const states = new Map([['gmail', held({ versionId: 'v1', until: LATER })]]);
    const kept = holdPointers(plan('v9'), states, NOW);
    expect(kept.pointerMoves).toEqual([]);
    expect(kept.decisions[0]?.reasons.join(' ')).toMatch(/pinned the latest pointer on 1\.0\.0/);
    expect(
      holdPointers(plan('v9'), states, new Date(LATER.getTime() + 1)).pointerMoves,
    ).toHaveLength(1);
  });

  it('a move onto a yanked version is dropped; onto a new one it stays', () => {
    const states = new Map([
      [
        'gmail',
        held(null, [
          { id: 'v1', version: '1.0.0', hash: 'a' },
          { id: 'v2', version: '2.0.0', hash: 'b', yanked: true } as never,
        ]),
      ],
    ]);
    expect(holdPointers(plan('v2'), states, NOW).pointerMoves).toEqual([]);
    expect(holdPointers(plan('v9'), states, NOW).pointerMoves).toHaveLength(1);
  });

  it('branchView compares a held connector with its newest version, not the pointer', () => {
    const states = new Map([['gmail', held({ versionId: 'v1', until: null })]]);
    expect(branchView(states).get('gmail')?.latest?.id).toBe('v2');
    const free = new Map([['gmail', { ...held(null), head: null }]]);
    expect(branchView(free)).toBe(free);
  });

  it('pinHolds and newestUnyanked', () => {
    expect(pinHolds(null, NOW)).toBe(false);
    expect(pinHolds({ until: null }, NOW)).toBe(true);
    expect(pinHolds({ until: NOW }, NOW)).toBe(false);
    expect(
      newestUnyanked([
        { version: '1.10.0' },
        { version: '1.9.0' },
        { version: '2.0.0-rc.1', yanked: true },
      ])?.version,
    ).toBe('1.10.0');
    expect(newestUnyanked([])).toBeNull();
  });
});

describe('parseOperatorRequest: hostile input refused by name', () => {
  const base = { action: 'rollback', slug: 'gmail', reason: 'bad scope' };
  it.each([
    [{ ...base, action: 'drop' }, /unknown action/],
    [{ ...base, slug: '../etc' }, /invalid slug/],
    [{ ...base, slug: 'a'.repeat(65) }, /invalid slug/],
    [{ ...base, slug: null }, /invalid slug/],
    [{ ...base, version: "1.0.0'; DROP TABLE connector; --" }, /invalid version/],
    [{ ...base, reason: '   ' }, /needs a reason/],
    [{ ...base, reason: undefined }, /needs a reason/],
    [{ ...base, reason: 'x'.repeat(2001) }, /longer than 2000/],
    [{ ...base, reason: 'nul\u0000here' }, /NUL or an unpaired surrogate/],
    [{ ...base, reason: 'lone \uD800 surrogate' }, /NUL or an unpaired surrogate/],
    [{ ...base, until: 'tomorrow' }, /--until must be/],
    [{ ...base, until: '2026-13-45' }, /not a real time/],
    [{ ...base, until: '99999999m' }, /--until must be/],
    [{ ...base, action: 'unpin', until: '2h' }, /rollback and pin only/],
    [{ ...base, action: 'yank' }, /needs a version/],
  ])('%j', (raw, message) => {
    const parsed = parseOperatorRequest(raw, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('reads durations and times, and keeps a paired surrogate (an emoji)', () => {
    expect(parseOperatorRequest({ ...base, until: '2h', reason: 'rollback 🚑' }, NOW)).toEqual({
      ok: true,
      request: {
        action: 'rollback',
        slug: 'gmail',
        to: null,
        reason: 'rollback 🚑',
        until: new Date('2026-06-01T14:00:00Z'),
      },
    });
    const at = parseOperatorRequest(
      { ...base, action: 'pin', version: 'gmail@1.0.0', until: '2026-12-24T18:00+01:00' },
      NOW,
    );
    expect(at).toMatchObject({
      ok: true,
      request: { version: 'gmail@1.0.0', until: new Date('2026-12-24T17:00:00Z') },
    });
  });
});
