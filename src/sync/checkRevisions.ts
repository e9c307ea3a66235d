import type { ReadStatesOptions } from '../db/operations/connectors/readConnectorStates.js';
import { NotAncestorError, NotFoundError, ShallowHistoryError } from '../errors.js';
import type { FileChange, GitRepository } from '../git/index.js';
import { slugFromPath } from '../manifest/index.js';
import { advanceInPlace } from '../plan/advanceState.js';
import { computeBaseStates } from '../plan/baseState.js';
import { type CheckEntry, computeCheckEntries } from '../plan/checkEntries.js';
import { planRevision } from '../plan/planRevision.js';
import type { ConnectorState, ManifestFile, PlanCommit, Refusal, SyncPlan } from '../plan/types.js';
import { maxBump } from '../versioning/index.js';
import type { Bump, VersionPolicy } from '../versioning/types.js';
import { readInSlices, SLICE_BYTES, toPlanCommit } from './planSlices.js';
import { listRevisionFiles, readFileTexts } from './readRevisionFiles.js';

/** What `check` reads with: git, and optionally a database's connector states (read-only). */
export interface CheckContext {
  repository: GitRepository;
  /** The manifest directory and the version policy, as `sync` would use them. */
  config: { path: string; versionPolicy: VersionPolicy };
  /**
   * The stored states of some slugs, for as many of them (in order) as a budget allows of their
   * stored manifests (see `readConnectorStates`); absent, the versions are computed from the
   * base's manifests.
   */
  readStates?: (options: ReadStatesOptions) => Promise<StatesBefore>;
}

/** The state before the change of the first `read` slugs asked. */
export interface StatesBefore {
  states: Map<string, ConnectorState>;
  read: number;
}

/** Which revisions to compare and how. */
export interface CheckOptions {
  base: string;
  /** @default 'HEAD' */
  head?: string;
  /** Plan each first-parent commit in turn, as `sync` does after a merge; else one squashed change. */
  perCommit?: boolean;
}

/** What merging `base..head` would do to the registry, planned by the same planner as `sync`. */
export interface CheckReport {
  base: string;
  head: string;
  /** `squashed`: one change from the base's tree to the head's; `per-commit`: each commit in turn. */
  mode: 'squashed' | 'per-commit';
  /** Where the versions before the change come from. */
  versionsFrom: 'base' | 'database';
  /** First-parent commits in base..head. */
  commits: number;
  entries: CheckEntry[];
  refusals: Refusal[];
  /** The highest bump of any entry. */
  bump: Bump;
}

/**
 * Plans the change from `base` to `head` without writing anything: resolves and checks the
 * revisions, reads only the manifests that differ (and their base versions), plans them with
 * `planRevision` against the base's (or the database's) state, and reports every connector.
 */
export async function checkRevisions(
  context: CheckContext,
  options: CheckOptions,
): Promise<CheckReport> {
  const { repository } = context;
  const headName = options.head ?? 'HEAD';
  // Each git process costs milliseconds (far more on a busy CI runner): ask in parallel where possible.
  const [base, head] = await Promise.all([
    resolveBase(repository, options.base),
    repository.resolveRevision(headName),
  ]);
  if (head === null)
    throw new NotFoundError(`--head ${headName}: no such revision in ${repository.path}`);
  // Squashed, the diff is asked beside the ancestry (it is wasted only when that check fails).
  const ancestry = assertAncestor(repository, options.base, base, head);
  if (options.perCommit) await ancestry;

  let ids = 0;
  const planning = {
    policy: context.config.versionPolicy,
    newId: () => `planned-${++ids}`,
  };
  const readBase = baseReader(context, base);
  const entries: CheckEntry[] = [];
  const refusals: Refusal[] = [];
  /**
   * Plans a revision's files a slice at a time, read as a sync reads them (`readInSlices`: at most
   * 1,000 manifests and 16 MiB of text), so a change of many large manifests is never held at once:
   * `stateFor` gives the state before the change of a slice's first files, as many as 16 MiB of
   * it allow (a deletion has no text, but its base manifest does), and those are planned; `after`
   * sees each plan. One entry per connector touched.
   */
  const collect = async (
    commit: PlanCommit,
    all: readonly ManifestFile[],
    changes: readonly FileChange[],
    stateFor: (files: ManifestFile[]) => Promise<StatesBefore>,
    after?: (plan: SyncPlan) => void,
  ) => {
    const touching = changesBySlug(changes);
    const found: CheckEntry[] = [];
    for await (const slice of readInSlices(repository, all)) {
      // Asked for twice what fitted last, so a base blob left unread streams past about twice.
      for (let at = 0, ask = slice.length; at < slice.length; ) {
        const { states, read } = await stateFor(slice.slice(at, at + ask));
        const files = slice.slice(at, at + read);
        at += read;
        ask = 2 * read;
        const plan = planRevision({ commit, files, state: states, ...planning });
        // Each slug's entry from the changes touching it; a rename's other slug is in its own part.
        const slugs = new Set(files.map((file) => file.slug));
        const own = [...new Set(files.flatMap((file) => touching.get(file.slug) ?? []))].sort(
          (a, b) => a - b,
        );
        const part = own.map((index) => changes[index] as FileChange);
        found.push(...computeCheckEntries(plan, part).filter((entry) => slugs.has(entry.slug)));
        refusals.push(...plan.refusals);
        after?.(plan);
      }
    }
    entries.push(...found.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)));
  };

  let commits = 0;
  if (options.perCommit) {
    const state = new Map<string, ConnectorState>();
    const looked = new Set<string>();
    const stateFor = async (files: ManifestFile[]) => {
      const slugs = files.map((f) => f.slug);
      const fresh = [...new Set(slugs.filter((slug) => !looked.has(slug)))];
      const { states, read } = await readBase(fresh);
      for (const slug of fresh.slice(0, read)) looked.add(slug);
      for (const [slug, found] of states) if (!state.has(slug)) state.set(slug, found);
      const first = fresh[read];
      return { states: state, read: first === undefined ? slugs.length : slugs.indexOf(first) };
    };
    for await (const commit of repository.readCommits({
      since: base,
      until: head,
      dir: context.config.path,
    })) {
      commits++;
      if (commit.changes.length === 0) continue;
      await collect(
        toPlanCommit(commit),
        listRevisionFiles(commit),
        commit.changes,
        stateFor,
        (plan) => advanceInPlace(state, plan),
      );
    }
  } else {
    const [, changes, count] = await Promise.all([
      ancestry,
      repository.diffRevisions({ from: base, to: head, dir: context.config.path }),
      repository.countCommits({ since: base, until: head }),
    ]);
    await collect(squashedCommit(head), listRevisionFiles({ changes }), changes, (files) =>
      readBase(
        files.map((f) => f.slug),
        changes,
      ),
    );
    commits = count;
  }
  return {
    base,
    head,
    mode: options.perCommit ? 'per-commit' : 'squashed',
    versionsFrom: context.readStates ? 'database' : 'base',
    commits,
    entries,
    refusals,
    bump: entries.reduce<Bump>((bump, entry) => maxBump(bump, entry.bump), 'none'),
  };
}

/** The base as a sha; a base a shallow clone lacks is told apart from one that does not exist. */
async function resolveBase(repository: GitRepository, name: string): Promise<string> {
  const sha = await repository.resolveRevision(name);
  if (sha !== null) return sha;
  if (await repository.isShallow()) {
    throw new ShallowHistoryError(
      `--base ${name} is not in this shallow clone: fetch it, e.g. \`git fetch origin ${name}\` ` +
        'with enough history (`git fetch --deepen=100`, or `git fetch --unshallow`; ' +
        'actions/checkout: `fetch-depth: 0`; GitLab: `GIT_DEPTH: 0`)',
    );
  }
  throw new NotFoundError(
    `--base ${name}: no such revision in ${repository.path} (a sha, branch or tag; a remote branch may need \`git fetch\` first)`,
  );
}

async function assertAncestor(
  repository: GitRepository,
  name: string,
  base: string,
  head: string,
): Promise<void> {
  if (await repository.isAncestor(base, head)) return;
  if (await repository.isShallow()) {
    throw new ShallowHistoryError(
      `--base ${name} (${base.slice(0, 10)}) and the head ${head.slice(0, 10)} are not connected in this ` +
        'shallow clone: fetch the history between them (`git fetch --deepen=100`, or `git fetch --unshallow`; ' +
        'actions/checkout: `fetch-depth: 0`; GitLab: `GIT_DEPTH: 0`)',
    );
  }
  throw new NotAncestorError(
    `--base ${name} (${base.slice(0, 10)}) is not an ancestor of the head ${head.slice(0, 10)}: ` +
      'the branch has moved on since the change forked. Check against the fork point ' +
      `(\`--base $(git merge-base ${name} HEAD)\`), or rebase the change, or check a merge commit with \`--base HEAD^1\``,
  );
}

/**
 * Reads the state before the change for the first of some slugs, as many as SLICE_BYTES of their
 * manifests allow (at least one): from the database when one is given, else from the base's
 * manifests (their blobs found in `changes` when known, else in the base's tree).
 */
function baseReader(context: CheckContext, base: string) {
  let tree: Map<string, ManifestFile> | null = null;
  return async (
    slugs: readonly string[],
    changes?: readonly FileChange[],
  ): Promise<StatesBefore> => {
    if (slugs.length === 0) return { states: new Map(), read: 0 };
    if (context.readStates) return context.readStates({ slugs, budget: SLICE_BYTES });
    let before: Map<string, ManifestFile>;
    if (changes) {
      const wanted = new Set(slugs);
      before = new Map();
      for (const { oldPath, oldOid } of changes) {
        const slug = oldPath && oldOid ? slugFromPath(oldPath) : null;
        if (slug && wanted.has(slug) && !before.has(slug))
          before.set(slug, { path: oldPath as string, slug, oid: oldOid, text: null });
      }
    } else {
      tree ??= new Map(
        (await context.repository.readSnapshot({ revision: base, dir: context.config.path })).map(
          (e) => [
            slugFromPath(e.path),
            { path: e.path, slug: slugFromPath(e.path), oid: e.oid, text: null },
          ],
        ),
      );
      before = tree;
    }
    const found = slugs.flatMap((slug) => before.get(slug) ?? []);
    const texts = await readFileTexts(context.repository, found, SLICE_BYTES);
    const first = found[texts.length];
    return {
      states: computeBaseStates(texts.map((f) => ({ ...f, text: f.text ?? '' }))),
      read: first ? slugs.indexOf(first.slug) : slugs.length,
    };
  };
}

/**
 * The squashed change as the planner's commit: only its sha is planned with (a check writes no
 * provenance), so the head's metadata is not read, which saves a git process.
 */
function squashedCommit(head: string): PlanCommit {
  const never = new Date(0);
  return {
    sha: head,
    authorName: '',
    authorEmail: '',
    authoredAt: never,
    committedAt: never,
    message: '',
  };
}

/** For each slug, the indexes of the changes touching it (as the old path or the new one). */
function changesBySlug(changes: readonly FileChange[]): Map<string, number[]> {
  const touching = new Map<string, number[]>();
  for (const [index, change] of changes.entries()) {
    for (const path of new Set([change.oldPath, change.newPath])) {
      if (!path) continue;
      const slug = slugFromPath(path);
      const list = touching.get(slug);
      if (list) list.push(index);
      else touching.set(slug, [index]);
    }
  }
  return touching;
}
