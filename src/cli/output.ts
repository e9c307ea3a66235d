import { cliIo } from './io.js';

/** Writes a command's result to stdout: JSON for tools, text for people. Logs go to stderr. */
export function printJson(value: unknown): void {
  cliIo().stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes one compact JSON object as one line (NDJSON), for streams read as they happen. */
export function printJsonLine(value: unknown): void {
  cliIo().stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes lines of text to stdout. */
export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) cliIo().stdout.write(`${lines.join('\n')}\n`);
}

/** A short sha for people (the audit trail's own helper, so the CLI and the page agree). */
export { shortSha as short } from '../audit/text.js';
