import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/cli/progress.js';

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream,
  };
};

describe('progress', () => {
  it('says "commit N of M" on a terminal, ending with a newline', () => {
    const { written, stream: tty } = stream(true);
    const progress = createProgress(tty);
    progress?.(1, 3);
    progress?.(3, 3);
    expect(written.join('')).toContain('commit 1 of 3');
    expect(written.join('')).toMatch(/commit 3 of 3\n$/);
  });

  it('is nothing at all when stderr is piped', () => {
    expect(createProgress(stream(false).stream)).toBeUndefined();
  });
});
