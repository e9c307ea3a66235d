import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { GitRepository } from '../git/index.js';
import { MAX_MANIFEST_BYTES } from '../manifest/index.js';
import { checkFile } from '../plan/planManifest.js';
import type { ManifestFile, PlanCommit, SyncPlan } from '../plan/types.js';
import type { CommitPlanner } from './commitPlanner.js';
import { readFileTexts } from './readRevisionFiles.js';
import type { WritePlan } from './runStep.js';

/**
 * Manifests read from git together, and at most in a step's slice (a commit or a snapshot may
 * hold more: it is read and planned a slice at a time): memory stays bounded by this, not by a
 * commit, the history or the registry.
 */
export const SLICE = 1000;
/**
 * Bytes of manifest text read for a slice at most: a slice of manifests near the 1 MiB limit is
 * 16 of them, not 1,000 (parsed, 1,000 such manifests took over 2.5 GB). git's reader stops
 * keeping blobs once they pass it, and the slice ends there; the rest is the next slice. Typical
 * manifests (a few KB) fill a slice by count first.
 */
export const SLICE_BYTES = 16 * 1024 * 1024;
/**
 * Connectors whose state may be read before any of their texts (within STATE_BYTES too): as many
 * manifests of the 1 MiB limit as a slice's bytes hold.
 */
const READ_AHEAD = SLICE_BYTES / MAX_MANIFEST_BYTES;
/**
 * Bytes of stored manifests (their size uncompressed) held for a slice's state at most, the first
 * always: a slice of deleted files reads no text from git, but each connector's stored manifest
 * is state its plan is made against. The slice ends at the connector that would pass it.
 */
const STATE_BYTES = SLICE_BYTES;
/**
 * Manifests planned in one go at most (one plan each): between two plans the event loop runs, so
 * a write in the background moves on to its next statement while a large commit is planned.
 */
const PART = 100;
/** Manifests checked ahead between two turns of the event loop. */
const CHECK_TURN = 25;
/**
 * What a planner carries before it drops the connectors written: one slice, by count and by the
 * length of their texts. Each transaction starts afresh, so only a step of more than a slice
 * reaches it; each connector carried holds its parsed manifest (~15 KB typically).
 */
export const CARRY_LIMITS = { keep: SLICE, keepBytes: SLICE_BYTES } as const;

/** A commit (or a snapshot's head) with the manifests it touched, one entry per slug. */
export interface Read<C extends PlanCommit = PlanCommit> {
  commit: C;
  entries: ManifestFile[];
}

/** A step's manifests cut into slices, the first slice's texts being read and checked already. */
export interface Slices {
  groups: Read[][];
  first: Prefetch;
}

/**
 * A slice's manifests being read from git and checked: how many git read (see SLICE_BYTES), known
 * as soon as the texts are in, and the files once checked.
 */
interface Prefetch {
  read: Promise<number>;
  files: Promise<ManifestFile[]>;
}

/**
 * Cuts some reads into slices and starts reading the first from git (its own process) at once,
 * so that it is read while something else finishes (the previous batch's write). The slices hold
 * the entries from then on, each let go once planned: the reads are emptied.
 */
export function sliceReads(repository: GitRepository, reads: readonly Read[]): Slices {
  const groups = cutSlices(reads);
  for (const read of reads) read.entries = [];
  return { groups, first: readAndCheck(repository, groups[0] ?? []) };
}

/**
 * Plans slice after slice, each commit in parts of at most PART manifests, and hands each plan to
 * `write` (see `runStep`), reporting it to `onPlan` once handed over. git reads the next slice's
 * blobs (its own process), and they are checked, while one is planned and written: at most two
 * slices in memory. A slice whose blobs pass SLICE_BYTES ends where git stopped reading; the rest
 * is cut into slices twice as large as what fitted, so no blob is streamed past more than about
 * twice. State is read through `planner` for the manifests read, and ahead of the next slice for
 * as many connectors as this one held (16 before any text is read), each read bounded by
 * STATE_BYTES of stored manifests: a slice whose state passes it ends there too, the same way.
 */
export async function planSlices(
  db: Kysely<Schema>,
  deps: { repository: GitRepository; planner: CommitPlanner; write: WritePlan },
  { groups, first }: Slices,
  onPlan: (plan: SyncPlan) => void,
): Promise<void> {
  const { repository, planner, write } = deps;
  const prefetch = (index: number, budget: number) => {
    const group = groups[index];
    return group ? readAndCheck(repository, group, budget) : null;
  };
  let next: Prefetch | null = first;
  await planner.read(db, slugsOf(headOf(groups[0], READ_AHEAD)), STATE_BYTES);
  for (let index = 0; index < groups.length; index++) {
    const read = next ? await next.read : 0;
    const [gitRead, gitRest] = splitSlice(groups[index] ?? [], read);
    // The state of what git read and was not read ahead, while the texts are checked.
    const states = planner.read(db, slugsOf(gitRead), STATE_BYTES);
    states.catch(() => {}); // awaited below, once the texts are checked
    const texts = next ? await next.files : [];
    const fitted = await states;
    // The slice is what both git's text and the stored state fitted: the rest is read again.
    const [group, stateRest] = splitSlice(gitRead, fitted);
    const rest = [...stateRest, ...gitRest];
    if (rest.length > 0) groups.splice(index + 1, 0, ...cutEvery(rest, 2 * fitted));
    // Texts git read past what the state fitted are read again: the next slice asks git for that
    // share of its bytes, so that large stored manifests do not have texts read twice slice after
    // slice.
    next = prefetch(
      index + 1,
      fitted < read ? Math.ceil((SLICE_BYTES * fitted) / read) : SLICE_BYTES,
    );
    let at = 0;
    for (const [position, part] of group.entries()) {
      // The next slice's state is read before this slice's last plan is handed over (it may
      // start a write): a read waits behind a write running on the connection. Within its own
      // STATE_BYTES: this slice's state is let go once written, and the next slice's read would
      // otherwise wait for that write.
      if (position === group.length - 1)
        await planner.read(db, slugsOf(headOf(groups[index + 1], fitted)), STATE_BYTES);
      const files = texts.slice(at, at + part.entries.length);
      at += part.entries.length;
      const { plan, serial, bytes } = await planner.plan(db, toPlanCommit(part.commit), files);
      // Weighed by the state it holds until written, so that a group of deletions is written
      // (and its stored manifests let go) by 16 MiB as new texts are.
      await write(plan, { onWritten: () => planner.written(serial), bytes });
      await setImmediate(); // the background write's replies are handled here
      onPlan(plan);
    }
    groups[index] = []; // planned: its entries are let go
  }
}

/** The first `count` manifests of a slice, if any. */
function headOf(group: readonly Read[] | undefined, count: number): Read[] {
  return splitSlice(group ?? [], count)[0];
}

/** Some parts cut into slices of at most `size` manifests (at least one each). Pure. */
export function cutEvery(parts: readonly Read[], size: number): Read[][] {
  const slices: Read[][] = [];
  for (let rest = [...parts]; rest.length > 0; ) {
    const [slice, after] = splitSlice(rest, Math.max(1, size));
    slices.push(slice);
    rest = after;
  }
  return slices;
}

/** A slice cut after its first `count` manifests: the parts kept, and the rest. Pure. */
export function splitSlice(group: readonly Read[], count: number): [Read[], Read[]] {
  const kept: Read[] = [];
  const rest: Read[] = [];
  let left = count;
  for (const part of group) {
    if (left >= part.entries.length) kept.push(part);
    else if (left === 0) rest.push(part);
    else {
      kept.push({ commit: part.commit, entries: part.entries.slice(0, left) });
      rest.push({ commit: part.commit, entries: part.entries.slice(left) });
    }
    left = Math.max(0, left - part.entries.length);
  }
  return [kept, rest];
}

/**
 * The manifests of some reads with their texts, each checked ahead for its commit (see
 * `ManifestFile.checked`), a turn of the event loop every few so a write's replies are handled.
 * Only as many as `budget` bytes of text allow (at least one): a prefix of the reads' manifests.
 */
function readAndCheck(
  repository: GitRepository,
  reads: readonly Read[],
  budget = SLICE_BYTES,
): Prefetch {
  const texts = readFileTexts(
    repository,
    reads.flatMap((read) => read.entries),
    budget,
  );
  const prefetch = { read: texts.then((files) => files.length), files: texts.then(checkAll) };
  // Awaited by planSlices; a step that stops first leaves them unheard.
  prefetch.read.catch(() => {});
  prefetch.files.catch(() => {});
  return prefetch;

  async function checkAll(files: ManifestFile[]): Promise<ManifestFile[]> {
    let at = 0;
    for (const { commit, entries } of reads) {
      for (let end = Math.min(at + entries.length, files.length); at < end; at++) {
        const file = files[at] as ManifestFile;
        if (file.text !== null)
          files[at] = { ...file, checked: checkFile({ ...file, text: file.text }, commit.sha) };
        if (at % CHECK_TURN === CHECK_TURN - 1) await setImmediate();
      }
    }
    return files;
  }
}

/**
 * Some files with their texts, read from git a slice at a time, in order: at most SLICE manifests
 * and SLICE_BYTES of text each. Once git ends a slice early (its bytes spent), the next asks for
 * twice what fitted, as `planSlices` re-cuts a slice's rest, so a blob streams past about twice
 * at most; a slice read whole lets the next grow back, up to SLICE.
 */
export async function* readInSlices(
  repository: GitRepository,
  files: readonly ManifestFile[],
): AsyncGenerator<ManifestFile[]> {
  let size = SLICE;
  for (let at = 0; at < files.length; ) {
    const asked = files.slice(at, at + size);
    const read = await readFileTexts(repository, asked, SLICE_BYTES);
    size = Math.min(SLICE, 2 * read.length);
    at += read.length;
    yield read;
  }
}

/** The slugs of some reads' manifests, in order. */
function slugsOf(reads: readonly Read[]): string[] {
  return reads.flatMap((read) => read.entries.map((entry) => entry.slug));
}

/**
 * Reads in groups of at most SLICE manifests, read from git together: a commit's entries stay in
 * order, and a commit larger than a slice spans groups. A commit is planned in parts of at most
 * PART manifests. Pure.
 */
export function cutSlices(reads: readonly Read[]): Read[][] {
  const groups: Read[][] = [];
  let group: Read[] = [];
  let size = 0;
  for (const { commit, entries } of reads) {
    for (let start = 0; start < entries.length; ) {
      const take = Math.min(SLICE - size, entries.length - start, PART);
      group.push({ commit, entries: entries.slice(start, start + take) });
      start += take;
      size += take;
      if (size === SLICE) {
        groups.push(group);
        group = [];
        size = 0;
      }
    }
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The commit's fields a plan carries, not the rest of what git said (a replay's notes, its changes). */
export function toPlanCommit(commit: PlanCommit): PlanCommit {
  const { sha, authorName, authorEmail, authoredAt, committedAt, message } = commit;
  return { sha, authorName, authorEmail, authoredAt, committedAt, message };
}
