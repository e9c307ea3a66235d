import type { CheckResult } from './check.js';
import type { DaemonResult } from './daemon.js';
import type { DaemonFloor } from './floorDaemon.js';
import type { FullSyncResult } from './fullSync.js';
import type { IdleResult } from './idle.js';
import type { LargeResult } from './largeManifests.js';
import type { MemorySplit } from './memory.js';
import type { NaiveResult } from './naive.js';
import type { ReadsResult } from './reads.js';
import type { ScenarioResult } from './scenario.js';

/** Everything one run measured, as written to bench/out/results-<date>.json. */
export interface BenchResults {
  startedAt: string;
  machine: Record<string, string | number>;
  options: Record<string, unknown>;
  repositories: { manifests: number; commits: number; generatedInSeconds: number }[];
  scenarios: ScenarioResult[];
  naive: NaiveResult[];
  daemons: DaemonResult[];
  /** The daemon's commit-to-row floor, per backend (floorDaemon.ts). */
  daemonFloors: DaemonFloor[];
  reads: ReadsResult[];
  idle: IdleResult[];
  /** The `check` scenario: a 10-manifest pull request, git only. */
  checks: CheckResult[];
  /** Manifests near the 1 MiB limit: peak RSS of adding, changing and resyncing them. */
  large?: LargeResult[];
  skipped: string[];
}

export const fixed = (value: number, digits = 0) => value.toFixed(digits);
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** How many times the floor a time is: `(2.1× floor)`. */
export const timesFloor = (ms: number, floorMs: number | undefined) =>
  floorMs === undefined || floorMs <= 0 ? '' : ` (${(ms / floorMs).toFixed(1)}× floor)`;
/**
 * Where memory went, in MB: V8's JS heap (used/reserved); external, which counts Buffers (`buf`)
 * and PGlite's WebAssembly memory (`wasm`); `other` = RSS - heap reserved - external (Node's own
 * code and native allocations: ~100 MB for Node + tsx + the loaded modules).
 */
export const memorySplit = (m: MemorySplit | undefined) =>
  m
    ? `heap ${fixed(m.heapUsed)}/${fixed(m.heapTotal)}, external ${fixed(m.external)} (buf ${fixed(m.arrayBuffers)}, wasm ${fixed(m.wasm)}), other ${fixed(Math.max(0, m.rss - m.heapTotal - m.external))}`
    : '';
const ratio = (slow: number | undefined, fast: number) =>
  slow === undefined || fast <= 0 ? '' : ` (${(slow / fast).toFixed(1)}×)`;

function pad(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * The printed table: one line per size and backend, each figure beside its floor (`× floor`);
 * the naive baseline's times as multiples of ours in the last column.
 */
export function formatTable(results: BenchResults): string {
  const rows = [
    [
      'manifests',
      'backend',
      'full sync',
      'floor: git + COPY',
      'peak RSS (at peak, MB: heap used/total, external, wasm)',
      'replay commits/s',
      'floor commits/s',
      'commit e2e / db',
      'resync unchanged',
      'process: sync / resync / status / --version',
      'naive ×: full, replay, resync',
    ],
  ];
  for (const s of results.scenarios) {
    const naive = results.naive.find((n) => n.manifests === s.manifests && n.backend === s.backend);
    const floors = s.floors;
    const replayFloor = floors?.replay;
    const p = s.processes;
    rows.push([
      String(s.manifests),
      s.backend,
      seconds(s.full.ms) + timesFloor(s.full.ms, floors?.full.ms),
      floors
        ? `${seconds(floors.full.ms)} (${fixed(floors.full.gitMs)} + ${fixed(floors.full.writeMs)} ms)`
        : '',
      `${fixed(s.full.peakRssMb)} MB (${memorySplit(s.full.memory?.atPeak)})`,
      s.replay
        ? `${fixed(s.replay.commitsPerSecond)} (${s.replay.commits})` +
          (replayFloor?.commitsPerSecond
            ? ` (${fixed(replayFloor.commitsPerSecond / s.replay.commitsPerSecond, 1)}× floor)`
            : '')
        : 'skipped',
      replayFloor?.commitsPerSecond
        ? `${fixed(replayFloor.commitsPerSecond)} (${fixed(replayFloor.gitMs)} + ${fixed(replayFloor.writeMs)} ms)`
        : '',
      `${fixed(s.incremental.endToEndMs, 1)} / ${fixed(s.incremental.transactionMs, 1)} ms`,
      `${fixed(s.resync.ms)} ms`,
      p
        ? `${fixed(p.syncMs)} / ${fixed(p.resyncMs)} / ${fixed(p.statusMs)} / ${fixed(p.versionMs)} ms`
        : 'no dist/',
      naive
        ? [
            ratio(naive.fullMs, s.full.ms),
            s.replay ? ratio(s.replay.commitsPerSecond, naive.replay.commitsPerSecond) : '',
            ratio(naive.resyncMs, s.resync.ms),
          ]
            .map((r) => r.replace(/[ ()]/g, ''))
            .join(', ')
        : '',
    ]);
  }
  const daemonRows = [
    [
      'daemon',
      'backend',
      'commit→row median (from the ref move)',
      'p95',
      'floor median / p95 (watch + git + transaction)',
      'with readers 10/s: median',
      'p95',
      '× without',
      'reader requests (median, size)',
      'idle CPU',
      'update-ref process (not counted)',
    ],
  ];
  for (const d of results.daemons) {
    const r = d.readers;
    const f = results.daemonFloors?.find((x) => x.backend === d.backend);
    daemonRows.push([
      `${d.manifests} manifests`,
      d.backend,
      `${fixed(d.medianMs, 1)} ms${timesFloor(d.medianMs, f?.medianMs)}`,
      `${fixed(d.p95Ms, 1)} ms${timesFloor(d.p95Ms, f?.p95Ms)}`,
      f
        ? `${fixed(f.medianMs, 1)} / ${fixed(f.p95Ms, 1)} ms (${fixed(f.watchMs, 1)} + ${fixed(f.gitMs, 1)} + ${fixed(f.transactionMs, 1)})`
        : '',
      r ? `${fixed(r.medianMs, 1)} ms` : '',
      r ? `${fixed(r.p95Ms, 1)} ms` : '',
      r ? `${fixed(r.ratio, 2)}×` : '',
      r
        ? `${r.requests}${r.failures ? ` (${r.failures} failed)` : ''} (${fixed(r.readerMedianMs, 1)} ms, ${fixed(r.bytesPerRequest / 1024, 1)} KB)`
        : '',
      `${fixed(d.idleCpuMs, 1)} ms CPU in ${d.idleSeconds} s (${fixed(d.idleCpuMs / (d.idleSeconds * 10), 2)}% of a core)`,
      `${fixed(d.publishMs, 1)} ms`,
    ]);
  }
  const readRows = [
    ['reads', 'backend', 'path', 'size', 'made afresh (median)', 'cached (median)'],
  ];
  for (const r of results.reads) {
    for (const f of r.figures) {
      readRows.push([
        `${r.versions} versions`,
        r.backend,
        f.path.length > 40 ? `${f.path.slice(0, 37)}...` : f.path,
        `${fixed(f.bytes / 1024, 1)} KB`,
        `${fixed(f.coldMedianMs, 1)} ms`,
        `${fixed(f.cachedMedianMs, 2)} ms`,
      ]);
    }
  }
  const naiveRows = [
    [
      'naive',
      'backend',
      'read (git show/file)',
      'write (INSERT/row)',
      'full',
      'replay commits/s',
      'sampled',
    ],
  ];
  for (const n of results.naive) {
    naiveRows.push([
      String(n.manifests),
      n.backend,
      seconds(n.readMs),
      seconds(n.writeMs),
      seconds(n.fullMs),
      `${fixed(n.replay.commitsPerSecond, 1)} (${n.replay.commits})`,
      n.sampled < n.manifests ? `${n.sampled} files, scaled` : 'all',
    ]);
  }
  const checkRows = [['check', 'changed', 'in process (median / first)', 'process', 'blobs read']];
  for (const c of results.checks) {
    checkRows.push([
      `${c.manifests} manifests`,
      String(c.changed),
      `${fixed(c.medianMs, 1)} / ${fixed(c.firstMs, 1)} ms (${c.samples} runs)`,
      c.processMs === null ? 'no dist/' : `${fixed(c.processMs)} ms`,
      String(c.blobsRead),
    ]);
  }
  const parts = results.scenarios.length ? [pad(rows)] : [];
  if (results.checks.length) parts.push(pad(checkRows));
  if (results.daemons.length) parts.push(pad(daemonRows));
  if (results.reads.length) parts.push(pad(readRows));
  if (results.idle.length)
    parts.push(
      pad([
        ['idle daemon (built CLI, 99 manifests)', 'backend', 'CPU', 'of a core'],
        ...results.idle.map((i) => [
          `${i.seconds} s`,
          i.backend,
          `${fixed(i.cpuMs)} ms`,
          `${fixed(i.percentOfCore, 2)}%`,
        ]),
      ]),
    );
  if (results.naive.length) parts.push(pad(naiveRows));
  if (results.large?.length) parts.push(pad(largeRows(results.large)));
  if (results.skipped.length)
    parts.push(results.skipped.map((line) => `skipped: ${line}`).join('\n'));
  return parts.join('\n\n');
}

/** Peak RSS and time of each step of the large-manifest case, one row per step and backend. */
function largeRows(large: readonly LargeResult[]): string[][] {
  const rows = [['large manifests', 'backend', 'step', 'time', 'peak RSS', 'heap used at peak']];
  for (const l of large) {
    const what = `${l.manifests} × ${fixed(l.bytesEach / 1000)} KB`;
    const row = (step: string, r: FullSyncResult | null) => [
      what,
      l.backend,
      step,
      r ? seconds(r.ms) : 'ran out of heap',
      r ? `${fixed(r.peakRssMb)} MB` : '—',
      r ? `${fixed(r.memory.atPeak.heapUsed)} MB` : '—',
    ];
    rows.push(
      row('add (one commit)', l.add),
      row(`add, heap capped at ${l.heapCapMb} MB`, l.addCapped),
      row('change every one (one commit)', l.change),
      row('resync into an empty database', l.resync),
      row(`delete every one (one commit), heap capped at ${l.deleteHeapCapMb} MB`, l.remove),
    );
  }
  return rows;
}
