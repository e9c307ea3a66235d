import { describe, expect, it } from 'vitest';
import { commandNamed } from '../../../src/cli/main.js';

describe('commandNamed: the command an argv runs (the process entry picks V8 flags by it)', () => {
  it.each([
    [['status'], 'status'],
    [['daemon', '--http-port', '0'], 'daemon'],
    [['--repo', 'daemon', 'status'], 'status'],
    [['--log-level', 'debug', '--json', 'daemon'], 'daemon'],
    [['--repo=daemon', 'sync'], 'sync'],
    [['--data-dir', '/tmp/x', '--database-url', 'postgres://h/db', 'history', 'gmail'], 'history'],
    [['--', 'daemon'], 'daemon'],
    [['--version'], undefined],
    [[], undefined],
  ])('%j → %s', (args, command) => {
    expect(commandNamed(['node', 'manifest-sync', ...args])).toBe(command);
  });
});
