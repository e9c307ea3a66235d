import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/db/redact.js';
import { redactRemote, splitCredentials, updateMirror } from '../../../src/git/mirror.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';

const made: string[] = [];
const repos: TempRepo[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const repo of repos.splice(0)) repo.cleanup();
});

function remoteWith(file: string): string {
  const repo = createTempRepo();
  repos.push(repo);
  repo.write(file, '{}');
  repo.commit(file);
  return repo.path;
}

describe('the mirror follows its flag', () => {
  it('records the remote it was made from; a different --remote re-points it, and says from what', {
    timeout: 60_000,
  }, async () => {
    const first = remoteWith('a.json');
    const second = remoteWith('b.json');
    const data = mkdtempSync(join(tmpdir(), 'manifest-sync-mirror-'));
    made.push(data);
    const dir = join(data, 'mirror.git');
    const moves: [string, string][] = [];
    const onRepoint = (from: string, to: string) => moves.push([from, to]);
    expect(await updateMirror({ url: `file://${first}`, dir, onRepoint })).toBe(true);
    expect(await updateMirror({ url: `file://${first}`, dir, onRepoint })).toBe(false);
    expect(moves).toEqual([]);
    await updateMirror({ url: `file://${second}`, dir, onRepoint });
    expect(moves).toEqual([[`file://${first}`, `file://${second}`]]);
    const files = execFileSync('git', ['ls-tree', '--name-only', 'main'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(files.trim()).toBe('b.json');
  });

  it('keeps no credentials in the mirror config: they travel as a header', () => {
    expect(splitCredentials('https://x-access-token:s3cret@github.com/org/r.git')).toEqual({
      url: 'https://github.com/org/r.git',
      basic: Buffer.from('x-access-token:s3cret').toString('base64'),
    });
    expect(splitCredentials('git@github.com:org/r.git')).toEqual({
      url: 'git@github.com:org/r.git',
      basic: null,
    });
  });

  it('an unreachable https remote with a password fails without the password anywhere', {
    timeout: 60_000,
  }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'manifest-sync-mirror-'));
    made.push(data);
    const dir = join(data, 'mirror.git');
    const error = await updateMirror({ url: 'https://user:s3cret@127.0.0.1:9/r.git', dir }).catch(
      (e: Error) => e,
    );
    expect(String((error as Error).message)).not.toContain('s3cret');
    let config = '';
    try {
      config = readFileSync(join(dir, 'config'), 'utf8');
    } catch {}
    expect(config).not.toContain('s3cret');
  });
});

describe('secrets in URLs that do not parse', () => {
  it.each([
    ['postgres://u:s3cret@h:badport/db', redactUrl],
    ['postgres://u:s3c@ret@h/db', redactUrl],
    ['host=h password=s3cret', redactUrl],
    ['https://u:s3cret@h:99999/x', redactRemote],
    ['u:s3cret@host:path', redactRemote],
    ['https://s3cret@github.com/a/b.git', redactRemote],
  ])('%s', (url, redact) => {
    expect(redact(url)).not.toContain('s3cret');
  });
});
