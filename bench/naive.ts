import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Database } from '../src/db/connection.js';
import { type Backend, createBenchDatabase } from './backends.js';
import { git } from './generate.js';
import { createWorkspace } from './workspace.js';

const run = promisify(execFile);

/** The naive way, on the same data: one git process per file, one autocommit INSERT per row. */
export interface NaiveResult {
  manifests: number;
  backend: Backend;
  /** `git show <rev>:<path>` once per manifest, one after another. */
  readMs: number;
  /** Two autocommit INSERTs per manifest (connector, version). */
  writeMs: number;
  fullMs: number;
  /** Naive replay of a sample of commits: a diff-tree and a show per file, a SELECT and autocommit writes. */
  replay: { commits: number; ms: number; commitsPerSecond: number };
  /** Naive unchanged resync: read every file (as above) plus one SELECT per manifest to compare. */
  resyncMs: number;
  /** Manifests actually read and written; the full-size figures are scaled from them (linear by design). */
  sampled: number;
}

/** Reads every manifest at `revision` with one `git show` per file. */
async function readNaively(
  repo: string,
  revision: string,
  paths: readonly string[],
): Promise<string[]> {
  const texts: string[] = [];
  for (const path of paths) {
    const { stdout } = await run('git', ['show', `${revision}:${path}`], {
      cwd: repo,
      maxBuffer: 1 << 26,
    });
    texts.push(stdout);
  }
  return texts;
}

async function writeNaively(
  database: Database,
  texts: readonly string[],
  sha: string,
): Promise<void> {
  await sql`INSERT INTO sync_commit (sha, repository, author_name, author_email, authored_at, committed_at, message)
    VALUES (${sha}, 'naive', 'a', 'a', now(), now(), 'm')`.execute(database.db);
  for (const text of texts) {
    const manifest = JSON.parse(text) as { slug: string; name: string; status: string };
    const connectorId = crypto.randomUUID();
    const versionId = crypto.randomUUID();
    await sql`INSERT INTO connector (id, slug, name, status, latest_version_id)
      VALUES (${connectorId}, ${manifest.slug}, ${manifest.name}, ${manifest.status}, NULL)`.execute(
      database.db,
    );
    await sql`INSERT INTO connectorversion (id, connector_id, version, manifest, commit_sha)
      VALUES (${versionId}, ${connectorId}, '1.0.0', ${text}, ${sha})`.execute(database.db);
  }
}

async function replayNaively(
  database: Database,
  repo: string,
  commits: readonly string[],
): Promise<void> {
  let serial = 0;
  for (const sha of commits) {
    const { stdout } = await run('git', ['diff-tree', '-r', '--no-commit-id', '--name-only', sha], {
      cwd: repo,
    });
    await sql`INSERT INTO sync_commit (sha, repository, author_name, author_email, authored_at, committed_at, message)
      VALUES (${sha}, 'naive', 'a', 'a', now(), now(), 'm')`.execute(database.db);
    for (const path of stdout.split('\n').filter(Boolean)) {
      const [text] = await readNaively(repo, sha, [path]);
      const manifest = JSON.parse(text ?? '{}') as { slug: string };
      const { rows } = await sql<{
        id: string;
        manifest: unknown;
      }>`SELECT c.id, v.manifest FROM connector c
        JOIN connectorversion v ON v.connector_id = c.id WHERE c.slug = ${manifest.slug}
        ORDER BY v.created_at DESC LIMIT 1`.execute(database.db);
      const stored = rows[0];
      if (!stored || JSON.stringify(stored.manifest) === JSON.stringify(manifest)) continue;
      const versionId = crypto.randomUUID();
      await sql`INSERT INTO connectorversion (id, connector_id, version, manifest, commit_sha)
        VALUES (${versionId}, ${stored.id}, ${`1.0.${++serial}`}, ${text}, ${sha})`.execute(
        database.db,
      );
      await sql`UPDATE connector SET latest_version_id = ${versionId} WHERE id = ${stored.id}`.execute(
        database.db,
      );
    }
    await sql`INSERT INTO sync_cursor (repository, branch, revision) VALUES ('naive', 'main', ${sha})
      ON CONFLICT (repository, branch) DO UPDATE SET revision = ${sha}`.execute(database.db);
  }
}

/** Cached naive reads per repository: the git part is the same for both backends, so it runs once. */
const reads = new Map<string, { texts: string[]; ms: number }>();

/** Runs the naive baseline for one repository on one backend. */
export async function measureNaive(
  repoPath: string,
  manifests: number,
  backend: Backend,
  replayCommits: number,
  sample: number,
): Promise<NaiveResult> {
  const workspace = createWorkspace(repoPath);
  const bench = await createBenchDatabase(backend);
  const database = await bench.open();
  try {
    let read = reads.get(repoPath);
    if (!read) {
      const paths = git(workspace.path, ['ls-tree', '--name-only', workspace.base, 'manifests/'])
        .split('\n')
        .slice(0, sample);
      const started = performance.now();
      const texts = await readNaively(workspace.path, workspace.base, paths);
      read = { texts, ms: performance.now() - started };
      reads.set(repoPath, read);
    }
    let started = performance.now();
    await writeNaively(database, read.texts, workspace.base);
    const writeMs = performance.now() - started;
    started = performance.now();
    for (const text of read.texts) {
      const { slug } = JSON.parse(text) as { slug: string };
      await sql`SELECT v.manifest FROM connector c JOIN connectorversion v ON v.id = c.latest_version_id
        OR v.connector_id = c.id WHERE c.slug = ${slug} LIMIT 1`.execute(database.db);
    }
    const resyncMs = read.ms + (performance.now() - started);
    const scale = manifests / read.texts.length;
    const commits = git(workspace.path, [
      'rev-list',
      '--reverse',
      `${workspace.base}..${workspace.tip}`,
    ])
      .split('\n')
      .slice(0, replayCommits);
    started = performance.now();
    await replayNaively(database, workspace.path, commits);
    const replayMs = performance.now() - started;
    return {
      manifests,
      backend,
      readMs: read.ms * scale,
      writeMs: writeMs * scale,
      fullMs: (read.ms + writeMs) * scale,
      replay: {
        commits: commits.length,
        ms: replayMs,
        commitsPerSecond: (commits.length * 1000) / replayMs,
      },
      resyncMs: resyncMs * scale,
      sampled: read.texts.length,
    };
  } finally {
    await database.close();
    await bench.drop();
    workspace.remove();
  }
}
