import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { bundledBases, deriveManifest, type Edit, manifestText, randomEdit } from './manifests.js';
import { createRandom } from './prng.js';

/** What a generated repository is made of; the cache key. */
export interface RepoSpec {
  manifests: number;
  /** Commits after the first (which adds every manifest). */
  commits: number;
  /** @default 1 */
  seed?: number;
}

/** A generated bare repository: `main` is the last commit, `refs/tags/bench-base` the first. */
export interface GeneratedRepo {
  path: string;
  spec: Required<RepoSpec>;
  /** Seconds it took to generate (0 when it came from the cache). */
  generatedInSeconds: number;
}

/** Bump when the generated content changes, so stale caches are not reused. */
const GENERATOR_VERSION = 1;
export const BENCH_DIR = new URL('.', import.meta.url).pathname;
const EPOCH = 1_700_000_000;

/** Returns the cached repository for `spec`, generating it with one `git fast-import` if missing. */
export async function ensureRepo(input: RepoSpec): Promise<GeneratedRepo> {
  const spec = { seed: 1, ...input };
  const name = `repo-v${GENERATOR_VERSION}-n${spec.manifests}-c${spec.commits}-s${spec.seed}`;
  const path = join(BENCH_DIR, '.work', name);
  if (existsSync(join(path, 'bench-complete'))) return { path, spec, generatedInSeconds: 0 };
  const started = performance.now();
  const building = `${path}.tmp-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  git(building, ['init', '--quiet', '--bare']);
  git(building, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  await importHistory(building, spec);
  writeFileSync(join(building, 'bench-complete'), `${JSON.stringify(spec)}\n`);
  rmSync(path, { recursive: true, force: true });
  renameSync(building, path);
  return { path, spec, generatedInSeconds: (performance.now() - started) / 1000 };
}

/** Runs a short git command synchronously (setup only, never per file). */
export function git(cwd: string, args: string[], input?: string): string {
  const result = spawnSync('git', args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Writes with backpressure: a 100,000-manifest import is ~400 MB of stream. */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export function commitHeader(mark: number, when: number, message: string): string {
  const bytes = Buffer.byteLength(message);
  return [
    'commit refs/heads/main',
    `mark :${mark}`,
    `author Bench Author <author@bench.example> ${when} +0000`,
    `committer Bench Author <author@bench.example> ${when} +0000`,
    `data ${bytes}`,
    message,
    '',
  ].join('\n');
}

export function fileCommand(path: string, text: string): string {
  return `M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
}

/**
 * Streams the whole history into one `git fast-import`: a first commit adding every manifest,
 * then `commits` commits each editing 1-5 manifests (their whole text rewritten).
 */
async function importHistory(dir: string, spec: Required<RepoSpec>): Promise<void> {
  const bundled = bundledBases();
  const random = createRandom(spec.seed);
  const child = spawn('git', ['-c', 'pack.compression=1', 'fast-import', '--quiet', '--done'], {
    cwd: dir,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const exited = once(child, 'close');
  const stdin = child.stdin;
  await write(stdin, 'feature done\n');
  await write(stdin, commitHeader(1, EPOCH, `Add ${spec.manifests} manifests`));
  for (let n = 0; n < spec.manifests; n++) {
    const manifest = deriveManifest(bundled, n, []);
    await write(
      stdin,
      fileCommand(`manifests/${String(manifest.slug)}.json`, manifestText(manifest)),
    );
  }
  await write(stdin, '\nreset refs/tags/bench-base\nfrom :1\n\n');
  const edits = new Map<number, Edit[]>();
  let serial = 0;
  for (let c = 0; c < spec.commits; c++) {
    const count = random.int(1, 5);
    const touched = new Set<number>();
    while (touched.size < Math.min(count, spec.manifests))
      touched.add(random.int(0, spec.manifests - 1));
    let body = '';
    for (const n of touched) {
      const list = edits.get(n) ?? [];
      list.push(randomEdit(random, ++serial));
      edits.set(n, list);
      const manifest = deriveManifest(bundled, n, list);
      body += fileCommand(`manifests/${String(manifest.slug)}.json`, manifestText(manifest));
    }
    const message = `Edit ${touched.size} manifest${touched.size === 1 ? '' : 's'} (${c + 1})`;
    await write(stdin, `${commitHeader(c + 2, EPOCH + 60 * (c + 1), message) + body}\n`);
  }
  await write(stdin, 'done\n');
  stdin.end();
  const [code] = await exited;
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [manifests = '1000', commits = '2000'] = process.argv.slice(2);
  const repo = await ensureRepo({ manifests: Number(manifests), commits: Number(commits) });
  console.log(`${repo.path} (${repo.generatedInSeconds.toFixed(1)} s)`);
}
