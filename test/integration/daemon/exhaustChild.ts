// Run by descriptors.test.ts in a child process: opens files until EMFILE, then asks git.
import { closeSync, openSync } from 'node:fs';
import { openRepository } from '../../../src/git/index.js';

const repository = await openRepository({ path: process.argv[2] ?? '.' });
const oid = process.argv[3] ?? '';
const held: number[] = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch {
  // EMFILE: every descriptor is taken
}
const outcomes: string[] = [];
for (const attempt of [
  () => repository.resolveRevision('HEAD'),
  () => repository.readBlobs([oid]),
  async () => {
    for await (const _ of repository.readCommits({ since: null, until: 'HEAD', dir: 'manifests' }));
  },
  async () => (await openRepository({ path: process.argv[2] ?? '.' })).close(),
]) {
  try {
    await attempt();
    outcomes.push('ok');
  } catch (error) {
    outcomes.push(`${(error as Error).name}: ${(error as Error).message}`);
  }
}
for (const fd of held) closeSync(fd);
const blobs = await repository.readBlobs([oid]);
outcomes.push(`recovered: ${blobs.get(oid)}`);
await repository.close();
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
