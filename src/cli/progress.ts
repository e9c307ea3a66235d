import { cliIo, type Writer } from './io.js';

/**
 * `commit N of M` on a terminal's stderr, rewritten in place at most every 100 ms; undefined
 * (nothing at all) when stderr is not a terminal, so piped output and logs stay clean.
 */
export function createProgress(
  stream: Writer = cliIo().stderr,
): ((done: number, total: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < 100) return;
    last = now;
    stream.write(`\r\x1b[Kcommit ${done} of ${total}`);
    if (done >= total) stream.write('\n');
  };
}
