// The issue's table (issue 17), from one run: each figure beside its floor measured in the same
// run on the same data, their ratio, the target and whether it is met. One table per backend;
// the targets are set on PostgreSQL and printed for the embedded database as well.
import type { Backend } from './backends.js';
import { type BenchResults, fixed, memorySplit, seconds } from './report.js';

interface Row {
  figure: string;
  measured: string;
  floor: string;
  /** Measured time / floor time (for a rate: floor rate / measured rate); null when there is no floor. */
  ratio: number | null;
  target: string;
  /** null: no target for this figure at this size. */
  met: boolean | null;
}

const size = (n: number) => n.toLocaleString('en-US');
const ms = (value: number) => `${fixed(value, 1)} ms`;

function rows(results: BenchResults, backend: Backend): Row[] {
  const out: Row[] = [];
  for (const s of results.scenarios.filter((x) => x.backend === backend)) {
    const n = size(s.manifests);
    const { full: fullFloor, replay: replayFloor } = s.floors;
    if (s.replay && replayFloor) {
      const measured = s.full.ms + s.replay.ms;
      const floor = fullFloor.ms + replayFloor.ms;
      out.push({
        figure: `first sync: full sync + replay of ${size(s.replay.commits)} commits, ${n}`,
        measured: seconds(measured),
        floor: seconds(floor),
        ratio: measured / floor,
        target: '≤ 2× floor',
        met: measured <= 2 * floor,
      });
      const rate = s.replay.commitsPerSecond;
      const floorRate = replayFloor.commitsPerSecond ?? 0;
      out.push({
        figure: `replay, commits/s, ${n}`,
        measured: fixed(rate),
        floor: fixed(floorRate),
        ratio: floorRate / rate,
        target: s.manifests <= 10_000 ? '≥ 500' : '—',
        met: s.manifests <= 10_000 ? rate >= 500 : null,
      });
    }
    const fullTarget = s.manifests === 10_000 ? 2000 : s.manifests === 100_000 ? 25_000 : null;
    out.push({
      figure: `full sync, ${n} manifests, one commit`,
      measured: seconds(s.full.ms),
      floor: seconds(fullFloor.ms),
      ratio: s.full.ms / fullFloor.ms,
      target: fullTarget === null ? '—' : `≤ ${fullTarget / 1000} s`,
      met: fullTarget === null ? null : s.full.ms <= fullTarget,
    });
    const peak = s.full.memory?.atPeak;
    out.push({
      figure: `full sync ${n}: peak RSS (at the peak: ${memorySplit(peak)} MB)`,
      measured: `${fixed(s.full.peakRssMb)} MB`,
      floor: '',
      ratio: null,
      target: s.manifests === 100_000 ? '≤ 400 MB' : '—',
      met: s.manifests === 100_000 ? s.full.peakRssMb <= 400 : null,
    });
    const p = s.processes;
    if (p) {
      out.push({
        figure: `no-op sync (process), ${n}`,
        measured: seconds(p.syncMs),
        floor: `${seconds(p.versionMs)} (--version)`,
        ratio: p.syncMs / p.versionMs,
        target: '≤ 0.5 s',
        met: p.syncMs <= 500,
      });
      out.push({
        figure: `unchanged resync (process), ${n}`,
        measured: seconds(p.resyncMs),
        floor: `${seconds(p.versionMs)} (--version)`,
        ratio: p.resyncMs / p.versionMs,
        target: '≤ 1 s',
        met: p.resyncMs <= 1000,
      });
      out.push({
        figure: `status, a read-only command (process), ${n}`,
        measured: seconds(p.statusMs),
        floor: `${seconds(p.versionMs)} (--version)`,
        ratio: p.statusMs / p.versionMs,
        target: backend === 'embedded' ? '< 0.8 s (issue 20)' : '—',
        met: backend === 'embedded' ? p.statusMs < 800 : null,
      });
    }
  }
  const daemon = results.daemons.find((d) => d.backend === backend);
  const floor = results.daemonFloors.find((d) => d.backend === backend);
  if (daemon && floor) {
    const n = size(daemon.manifests);
    out.push({
      figure: `daemon commit→row, median of ${daemon.samples}, ${n}`,
      measured: ms(daemon.medianMs),
      floor: ms(floor.medianMs),
      ratio: daemon.medianMs / floor.medianMs,
      target: '≤ 50 ms',
      met: daemon.medianMs <= 50,
    });
    out.push({
      figure: `daemon commit→row, p95, ${n}`,
      measured: ms(daemon.p95Ms),
      floor: ms(floor.p95Ms),
      ratio: daemon.p95Ms / floor.p95Ms,
      target: '≤ 100 ms',
      met: daemon.p95Ms <= 100,
    });
  }
  return out;
}

/** Markdown tables shaped like the issue's: figure | measured | floor | ratio | target | met?. */
export function formatSummary(results: BenchResults): string {
  const parts: string[] = [];
  for (const [backend, title] of [
    ['postgres', 'PostgreSQL'],
    ['embedded', 'embedded (PGlite)'],
  ] as const) {
    const table = rows(results, backend);
    if (table.length === 0) continue;
    parts.push(
      [
        `${title}`,
        '| figure | measured | floor | ratio | target | met? |',
        '| --- | --- | --- | --- | --- | --- |',
        ...table.map(
          (r) =>
            `| ${r.figure} | ${r.measured} | ${r.floor || '—'} | ${r.ratio === null ? '—' : `${fixed(r.ratio, 1)}×`} | ${r.target} | ${r.met === null ? '—' : r.met ? 'yes' : 'no'} |`,
        ),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}
