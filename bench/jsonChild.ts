import { spawn } from 'node:child_process';

/**
 * Runs Node with `args` in a child process (stdout read, stderr shown as it comes) and resolves
 * with the last line it printed, parsed as JSON: how the bench's measured children report.
 * Rejects when the child cannot start or exits other than 0, naming it by `what`.
 */
export function runJsonChild<T>(args: readonly string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${what} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T);
    });
  });
}
