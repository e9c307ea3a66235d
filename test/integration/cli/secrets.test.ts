import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, loadDaemonConfig } from '../../../src/config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function secretFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-sync-secret-'));
  dirs.push(dir);
  const file = join(dir, 'secret');
  writeFileSync(file, content);
  return file;
}

describe('every secret from the environment or a *_FILE', () => {
  it('reads DATABASE_URL, the webhook secret, the admin token and the git token from files', () => {
    const env = {
      DATABASE_URL_FILE: secretFile('postgres://u:s3cret@db/x\n'),
      MANIFEST_SYNC_WEBHOOK_SECRET_FILE: secretFile('hook\n'),
      MANIFEST_SYNC_ADMIN_TOKEN_FILE: secretFile('admin'),
      MANIFEST_SYNC_GIT_TOKEN_FILE: secretFile('git\r\n'),
    };
    expect(loadConfig({}, env, '/tmp').databaseUrl).toBe('postgres://u:s3cret@db/x');
    expect(loadConfig({}, env, '/tmp').adminToken).toBe('admin');
    const daemon = loadDaemonConfig({}, env);
    expect([daemon.webhookSecret, daemon.adminToken, daemon.gitToken]).toEqual([
      'hook',
      'admin',
      'git',
    ]);
  });

  it('the variable itself wins over its file; flags win over both', () => {
    const env = { DATABASE_URL: 'postgres://a', DATABASE_URL_FILE: secretFile('postgres://b') };
    expect(loadConfig({}, env, '/tmp').databaseUrl).toBe('postgres://a');
    expect(loadConfig({ databaseUrl: 'postgres://c' }, env, '/tmp').databaseUrl).toBe(
      'postgres://c',
    );
  });

  it('an unreadable file is a configuration error naming the variable and the path, not a value', () => {
    const env = { MANIFEST_SYNC_ADMIN_TOKEN_FILE: '/nonexistent/token' };
    expect(() => loadConfig({}, env, '/tmp')).toThrow(
      'MANIFEST_SYNC_ADMIN_TOKEN_FILE names /nonexistent/token, which cannot be read (ENOENT)',
    );
  });
});
