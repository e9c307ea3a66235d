import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type Backend, postgresAvailable } from './backends.js';
import { measureCheck } from './check.js';
import { measureDaemonApart } from './daemonApart.js';
import { ensureRepo, type GeneratedRepo } from './generate.js';
import { measureIdle } from './idle.js';
import { measureLarge } from './largeManifests.js';
import { describeMachine } from './machine.js';
import { measureNaive } from './naive.js';
import { measureReads } from './reads.js';
import { type BenchResults, formatTable } from './report.js';
import { runScenario } from './scenario.js';
import { formatSummary } from './summary.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    backends: { type: 'string', default: 'postgres,embedded' },
    quick: { type: 'boolean', default: false },
    commits: { type: 'string' },
    'naive-sample': { type: 'string', default: '2000' },
    'no-naive': { type: 'boolean', default: false },
    'daemon-samples': { type: 'string', default: '50' },
    'embedded-100k': { type: 'boolean', default: false },
    readers: { type: 'boolean', default: false },
    'read-versions': { type: 'string', default: '5000,100000' },
    /** `--only large`: how many manifests of ~1 MB the large-manifest case commits at once. */
    'large-manifests': { type: 'string', default: '300' },
    /**
     * `--only check`: only the `check` scenario (no database, no daemon, no naive baseline);
     * `--only scenario`: only the sync scenarios (full sync, replay, increments, resync);
     * `--only daemon`: only the daemon's commit-to-row (with and without readers), then its idle
     * CPU (`--no-idle` skips that); `--only idle`: only the built daemon's idle CPU.
     */
    only: { type: 'string' },
    'no-idle': { type: 'boolean', default: false },
    /** Seconds the idle daemon is measured over. */
    'idle-seconds': { type: 'string', default: '60' },
  },
});

/** Only the readers' case: the daemon with and without readers, and the reads themselves. */
const readersOnly = values.readers ?? false;
const readVersions = (values['read-versions'] ?? '5000,100000').split(',').map(Number);

const onlyCheck = values.only === 'check';
const onlyScenario = values.only === 'scenario';
const onlyDaemon = values.only === 'daemon';
const onlyIdle = values.only === 'idle';
const onlyLarge = values.only === 'large';
if (
  values.only !== undefined &&
  !onlyCheck &&
  !onlyScenario &&
  !onlyDaemon &&
  !onlyIdle &&
  !onlyLarge
)
  throw new Error(
    `--only: unknown scenario '${values.only}' (known: check, scenario, daemon, idle, large)`,
  );
/** Only one part of the daemon's figures: no check, no scenario, no reads, no naive baseline. */
const daemonPart = onlyDaemon || onlyIdle;
const quick = values.quick ?? false;
const sizes = (
  values.sizes ?? (readersOnly || daemonPart ? '10000' : quick ? '1000,10000' : '1000,10000,100000')
)
  .split(',')
  .map(Number);
const backends = (values.backends ?? 'postgres,embedded').split(',') as Backend[];
/** 100,000 flat manifests: git's tree diff (~8 ms a commit) and fast-import's tree writes make 2,000 commits cost minutes, so fewer. */
const commitsFor = (size: number) =>
  values.commits ? Number(values.commits) : quick ? 300 : size >= 100_000 ? 200 : 2000;
const naiveSample = Number(values['naive-sample']);
const idleSeconds = Number(values['idle-seconds']);
const daemonSamples = Number(values['daemon-samples']);

const log = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const results: BenchResults = {
  startedAt: new Date().toISOString(),
  machine: await describeMachine(),
  options: { sizes, backends, quick, naiveSample, daemonSamples, commits: sizes.map(commitsFor) },
  repositories: [],
  scenarios: [],
  naive: [],
  daemons: [],
  daemonFloors: [],
  reads: [],
  idle: [],
  checks: [],
  skipped: [],
};

if (!onlyCheck && backends.includes('postgres') && !(await postgresAvailable())) {
  throw new Error(
    'PostgreSQL does not answer at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)',
  );
}

if (onlyLarge) {
  const count = Number(values['large-manifests']);
  results.large = [];
  for (const backend of backends) {
    log(
      `large manifests: ${count} of ~1 MB on ${backend} (add, add under a heap cap, change, resync)`,
    );
    results.large.push(await measureLarge(backend, count));
  }
}

const repos = new Map<number, GeneratedRepo>();
for (const size of onlyIdle || onlyLarge ? [] : sizes) {
  log(`repository: ${size} manifests, ${commitsFor(size)} commits`);
  const repo = await ensureRepo({ manifests: size, commits: commitsFor(size) });
  if (repo.generatedInSeconds > 0)
    log(`  generated in ${repo.generatedInSeconds.toFixed(1)} s (cached in bench/.work)`);
  repos.set(size, repo);
  results.repositories.push({
    manifests: size,
    commits: repo.spec.commits,
    generatedInSeconds: repo.generatedInSeconds,
  });
}

for (const size of readersOnly || onlyScenario || daemonPart || onlyLarge ? [] : sizes) {
  log(`check: a pull request of 10 manifests in ${size} manifests (git only)`);
  results.checks.push(await measureCheck(repos.get(size) as GeneratedRepo));
}

for (const size of onlyCheck || readersOnly || daemonPart || onlyLarge ? [] : sizes) {
  const repo = repos.get(size) as GeneratedRepo;
  for (const backend of backends) {
    if (backend === 'embedded' && size >= 100_000 && !values['embedded-100k']) {
      results.skipped.push(
        `${size} manifests on the embedded database: PGlite runs the whole server in one WebAssembly heap in this process (its RSS alone exceeds the 400 MB budget) and applies the big transaction single-threaded; run with --embedded-100k to measure it anyway`,
      );
      continue;
    }
    log(`scenario: ${size} manifests on ${backend}`);
    results.scenarios.push(
      await runScenario(repo, backend, { replay: true, incrementalSamples: quick ? 5 : 10 }),
    );
  }
}

const daemonSize = Math.max(...sizes.filter((size) => size <= 10_000));
if (!onlyCheck && !onlyScenario && !onlyIdle && !onlyLarge && Number.isFinite(daemonSize)) {
  for (const backend of backends) {
    log(
      `daemon: ${daemonSize} manifests on ${backend}, ${daemonSamples} commits without and ${daemonSamples} with readers, then 5 s idle; then its floor, 20 commits (a process of their own)`,
    );
    const { daemon, floor } = await measureDaemonApart(
      repos.get(daemonSize) as GeneratedRepo,
      backend,
      daemonSamples,
    );
    results.daemons.push(daemon);
    results.daemonFloors.push(floor);
  }
}

for (const versions of onlyCheck || onlyScenario || daemonPart || onlyLarge ? [] : readVersions) {
  for (const backend of backends) {
    log(`reads: ${versions} versions on ${backend}`);
    results.reads.push(await measureReads(backend, versions));
  }
}

const idle =
  onlyIdle ||
  (onlyDaemon ? !values['no-idle'] : !quick && !onlyCheck && !onlyScenario && !onlyLarge);
if (idle) {
  for (const backend of backends) {
    log(
      `idle: the built daemon on ${backend}, ${idleSeconds} s with nothing to do (npm run build first)`,
    );
    results.idle.push(await measureIdle(backend, idleSeconds));
  }
}

if (
  !onlyCheck &&
  !onlyScenario &&
  !daemonPart &&
  !onlyLarge &&
  !values['no-naive'] &&
  !readersOnly
) {
  for (const size of sizes.filter((s) => s <= 10_000)) {
    for (const backend of backends) {
      log(
        `naive baseline: ${size} manifests on ${backend} (${Math.min(size, naiveSample)} files sampled)`,
      );
      const repo = repos.get(size) as GeneratedRepo;
      results.naive.push(
        await measureNaive(repo.path, size, backend, quick ? 20 : 50, naiveSample),
      );
    }
  }
}

results.machine.loadAverageAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
const outDir = new URL('./out/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
const file = `${outDir}results-${results.startedAt.replaceAll(':', '-').slice(0, 19)}.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(formatTable(results));
console.log(`\n${formatSummary(results)}`);
console.log(`\nmachine: ${JSON.stringify(results.machine)}\nwritten: ${file}`);
