import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/daemon/metrics.js';
import { createPass } from '../../../src/daemon/pass.js';
import type { Database } from '../../../src/db/connection.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  testConfig,
  testDaemonConfig,
} from './harness.js';

const cleanup = new Cleanup();
let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  cleanup.defer(() => testDb.drop());
  database = await testDb.open();
  cleanup.defer(() => database.close());
});
afterAll(() => cleanup.run());

interface Line {
  level: number;
  msg: string;
  file?: string;
  revision?: string;
  pointer?: string;
  code?: string;
}

describe("the daemon's log", () => {
  it('names each refusal at warn (file, commit, pointer, message); a pass with nothing new logs at debug only', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'gmail');
    repo.write('manifests/broken.json', '{"name": "Broken", "slug": "broken", "status": "gone"}\n');
    const bad = repo.commit('a broken manifest');
    const lines: Line[] = [];
    const logger = pino(
      { level: 'trace' },
      { write: (line: string) => lines.push(JSON.parse(line) as Line) },
    );
    const pass = createPass({
      config: testConfig(repo, testDb),
      daemon: testDaemonConfig(),
      database,
      metrics: createMetrics(),
      logger,
      clock: () => new Date(),
      newId: () => crypto.randomUUID(),
    });
    cleanup.defer(() => pass.close());

    await pass.run(new AbortController().signal);
    const refusals = lines.filter((l) => l.level === 40 && l.file === 'manifests/broken.json');
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect(refusal.revision).toBe(bad);
      expect(refusal.pointer).toMatch(/^\//);
      expect(refusal.msg).toMatch(/^refused manifests\/broken\.json: ./);
    }
    expect(refusals.map((r) => r.pointer)).toContain('/status');

    lines.length = 0;
    await pass.run(new AbortController().signal);
    expect(lines.filter((l) => l.level >= 30)).toEqual([]);
    expect(lines.some((l) => l.level === 20 && /nothing new/.test(l.msg))).toBe(true);
  });
});
