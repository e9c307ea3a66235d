import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageRoute } from '../../../src/daemon/page.js';
import type { Database } from '../../../src/db/connection.js';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { readStatus } from '../../../src/query/readStatus.js';
import { type AuditFixture, BOB, createAuditFixture, LEGACY } from './fixture.js';

let fx: AuditFixture;
let database: Database;
let repository: GitRepository;

beforeAll(async () => {
  fx = await createAuditFixture();
  await fx.testDb.exec(LEGACY.sql);
  database = await fx.testDb.open();
  repository = await openRepository({ path: fx.repo.path });
});
afterAll(async () => {
  await repository?.close();
  await database?.close();
  await fx?.close();
});

const TEMPLATE = 'https://git.example.com/org/registry/commit/{sha}';

async function render(options: { commitUrl?: string; failStatus?: boolean } = {}) {
  const route = pageRoute({
    db: database.db,
    readStatus: options.failStatus
      ? () => Promise.reject(new Error('git <exploded>'))
      : () => readStatus({ config: fx.config, repository, database }),
    ...(options.commitUrl ? { commitUrl: options.commitUrl } : {}),
    clock: () => new Date('2026-02-01T12:00:00Z'),
  });
  expect(route).toMatchObject({ method: 'GET', pattern: '/' });
  const response = await route.handler({
    method: 'GET',
    url: new URL('http://localhost/'),
    params: {},
    headers: {},
    body: Buffer.alloc(0),
  });
  expect(response.status).toBe(200);
  return { headers: response.headers ?? {}, html: String(response.body) };
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('GET /', () => {
  it('is self-contained HTML with the sync status', async () => {
    const { headers, html } = await render();
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|@import/i);
    const status = html.slice(html.indexOf('<section id="status">'), html.indexOf('</section>'));
    expect(status).toContain(`<dd id="status-branch">main</dd>`);
    expect(status).toContain(fx.sha.restoreSlack.slice(0, 10));
    expect(status).toContain('0 commit(s) behind');
    expect(status).toMatch(/id="status-last-run">sync <span class="ok">applied<\/span>/);
    expect(status).toContain('0 open');
  });

  it('lists every connector, each expanding to its versions with sha, author, date, subject, bump and reasons', async () => {
    const { html } = await render();
    expect(count(html, '<details class="connector"')).toBe(3);
    expect(count(html, '<tr class="version"')).toBe(6);
    const gmail = html.slice(
      html.indexOf('id="connector-gmail"'),
      html.indexOf('id="connector-legacy"'),
    );
    const newer = gmail.slice(
      gmail.indexOf('data-version="1.1.0"'),
      gmail.indexOf('data-version="1.0.0"'),
    );
    expect(newer).toContain(`<code title="${fx.sha.labels}">${fx.sha.labels.slice(0, 10)}</code>`);
    expect(newer).toContain(`${BOB.name} <span class="email">&lt;${BOB.email}&gt;</span>`);
    expect(newer).toContain('<time datetime="2026-01-03T09:30:00.000Z">2026-01-03 09:30</time>');
    expect(newer).toContain('<td class="subject">Gmail: add the add_label action</td>');
    expect(newer).toContain('<td class="bump bump-minor">minor</td>');
    expect(newer).toMatch(/<td class="reasons"><ul><li>.*add_label/);
    expect(gmail.indexOf('data-version="1.1.0"')).toBeLessThan(
      gmail.indexOf('data-version="1.0.0"'),
    );
    // Plain shas without a template.
    expect(html).not.toContain('<a class="commit"');
  });

  it('links commits through the template when one is configured', async () => {
    const { html } = await render({ commitUrl: TEMPLATE });
    expect(html).toContain(
      `<a class="commit" href="https://git.example.com/org/registry/commit/${fx.sha.labels}">`,
    );
  });

  it('escapes what it shows and says "no commit" for versions made before manifest-sync', async () => {
    const { html } = await render();
    expect(html).not.toContain(LEGACY.name);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Legacy');
    expect(html).toContain('no commit (made before manifest-sync)');
  });

  it('shows an unreadable status instead of failing', async () => {
    const { html } = await render({ failStatus: true });
    expect(html).toContain('status unavailable: git &lt;exploded&gt;');
    expect(count(html, '<details class="connector"')).toBe(3);
  });

  it('refuses a commit URL template that is not http(s) with {sha}', () => {
    for (const commitUrl of ['javascript:alert(1)//{sha}', 'https://example.com/commit/']) {
      expect(() =>
        pageRoute({ db: database.db, readStatus: () => Promise.reject(), commitUrl }),
      ).toThrow(/commit URL template/);
    }
  });
});
