import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatCheckGithub,
  formatCheckMarkdown,
  formatCheckText,
  toCheckOutput,
} from '../../../src/cli/commands/checkFormats.js';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { checkRevisions } from '../../../src/sync/checkRevisions.js';
import { openStateReader } from '../../../src/sync/readStatesReadOnly.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { skipping } from '../../helpers/skip.js';
import { createTestDatabase } from '../../helpers/testDatabase.js';

/**
 * Issue 18: refusals the planner makes (not the parser) carry a line and column too. A real
 * repository: main holds gmail at 1.0.0; the change writes a version behind it (refused under
 * `strict`) and adds a manifest whose slug a user's connector holds (refused with a database).
 */
let repo: TempRepo;
let repository: GitRepository;
let base: string;
let head: string;

/** The 1-based line and column where `"key":` is written in a file of the repository. */
function keyAt(path: string, key: string): { line: number; column: number } {
  const text = repo.git('show', `${head}:${path}`);
  const lines = text.slice(0, text.indexOf(`"${key}":`)).split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

beforeAll(async () => {
  repo = createTempRepo();
  repo.write('manifests/gmail.json', manifestText(buildManifest({ version: '1.0.0' })));
  base = repo.commit('gmail');
  repo.write(
    'manifests/gmail.json',
    manifestText(buildManifest({ version: '0.9.0', description: 'Send and read mail.' })),
  );
  repo.write(
    'manifests/my-crm.json',
    manifestText(buildManifest({ slug: 'my-crm', name: 'My CRM', version: undefined })),
  );
  head = repo.commit('gmail goes back to 0.9.0; my-crm added');
  repository = await openRepository({ path: repo.path });
});
afterAll(async () => {
  await repository.close();
  repo.cleanup();
});

describe('check: a version-policy refusal is located at /version', () => {
  it('file, pointer, line and column in the report, the text, github and markdown', async () => {
    const report = await checkRevisions(
      { repository, config: { path: 'manifests', versionPolicy: 'strict' } },
      { base, head },
    );
    const at = keyAt('manifests/gmail.json', 'version');
    expect(at.line).toBeGreaterThan(1);
    expect(report.refusals).toEqual([
      expect.objectContaining({
        file: 'manifests/gmail.json',
        revision: head,
        pointer: '/version',
        code: 'version-policy',
        ...at,
      }),
    ]);
    const output = toCheckOutput(report, null);
    const where = `manifests/gmail.json:${at.line}:${at.column}`;
    expect(formatCheckText(output).join('\n')).toContain(`refused: ${where} `);
    expect(formatCheckGithub(output).join('\n')).toContain(
      `::error file=manifests/gmail.json,line=${at.line},col=${at.column},title=manifest refused [version-policy]::/version: `,
    );
    expect(formatCheckMarkdown(output).join('\n')).toContain(
      `| manifests/gmail.json | ${at.line}:${at.column} | /version |`,
    );
  });
});

describe.skipIf(
  skipping(
    !process.env.TEST_DATABASE_URL,
    'check --database-url reads PostgreSQL only (set TEST_DATABASE_URL)',
  ),
)("check --database-url: a slug a user's connector holds is located at /slug", () => {
  it('refused with its line and column, read-only', async () => {
    const database = await createTestDatabase();
    const url = database.url as string;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const reader = await openStateReader(url);
    try {
      await client.query(`INSERT INTO connector (id, slug, name, status, is_platform, created_at)
        VALUES ('1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', 'my-crm', 'Mine', 'draft', false, now())`);
      const report = await checkRevisions(
        {
          repository,
          config: { path: 'manifests', versionPolicy: 'auto' },
          readStates: (options) => reader.read(options),
        },
        { base, head },
      );
      expect(report.refusals).toEqual([
        expect.objectContaining({
          file: 'manifests/my-crm.json',
          pointer: '/slug',
          code: 'slug-conflict',
          ...keyAt('manifests/my-crm.json', 'slug'),
        }),
      ]);
      const github = formatCheckGithub(toCheckOutput(report, null)).join('\n');
      const { line, column } = keyAt('manifests/my-crm.json', 'slug');
      expect(github).toContain(`::error file=manifests/my-crm.json,line=${line},col=${column},`);
    } finally {
      await Promise.all([reader.close(), client.end()]);
      await database.drop();
    }
  });
});
