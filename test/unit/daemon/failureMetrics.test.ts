import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/daemon/metrics.js';

describe('failed passes are countable, for an alert', () => {
  it('manifest_sync_pass_failures_total and the last failure time move only on failures', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const text = () => metrics.registry.metrics();
    expect(await text()).toContain('manifest_sync_pass_failures_total 0');
    metrics.observePass(true, 10, new Date(1_000_000));
    metrics.observePass(false, 10, new Date(2_000_000));
    metrics.observePass(false, 10, new Date(3_000_000));
    const after = await text();
    expect(after).toContain('manifest_sync_pass_failures_total 2');
    expect(after).toContain('manifest_sync_last_failure_timestamp_seconds 3000');
    expect(after).toContain('manifest_sync_last_success_timestamp_seconds 1000');
  });
});
