import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/daemon/metrics.js';

const NAMES = [
  'manifest_sync_passes_total',
  'manifest_sync_pass_duration_seconds',
  'manifest_sync_versions_created_total',
  'manifest_sync_manifests_refused_total',
  'manifest_sync_commits_behind',
  'manifest_sync_last_success_timestamp_seconds',
  'manifest_sync_lock_held',
  'manifest_sync_resyncs_total',
  'manifest_sync_suspended',
];

describe('createMetrics', () => {
  it('exposes every daemon metric plus process metrics', async () => {
    const { registry } = createMetrics();
    const text = await registry.metrics();
    for (const name of NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('manifest_sync_passes_total{outcome="failure"} 0');
  });

  it('gives each call its own registry, so two instances do not clash', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.versionsCreated.inc(3);
    expect(
      await b.registry.getSingleMetricAsString('manifest_sync_versions_created_total'),
    ).toContain('manifest_sync_versions_created_total 0');
    expect(
      await a.registry.getSingleMetricAsString('manifest_sync_versions_created_total'),
    ).toContain('manifest_sync_versions_created_total 3');
  });

  it('observePass counts outcomes, times the pass and stamps successes', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.observePass(true, 1_500, new Date('2024-05-01T00:00:00Z'));
    m.observePass(false, 20, new Date('2024-05-02T00:00:00Z'));
    const text = await m.registry.metrics();
    expect(text).toContain('manifest_sync_passes_total{outcome="success"} 1');
    expect(text).toContain('manifest_sync_passes_total{outcome="failure"} 1');
    expect(text).toContain('manifest_sync_pass_duration_seconds_count 2');
    expect(text).toContain('manifest_sync_pass_duration_seconds_sum 1.52');
    expect(text).toContain('manifest_sync_last_success_timestamp_seconds 1714521600');
  });
});
