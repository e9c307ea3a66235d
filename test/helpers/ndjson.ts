/** The lines of `sync --json` (NDJSON): every object in order, the decisions, and the summary (last). */
export function readNdjson(stdout: string) {
  const lines = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>);
  const summary = lines.at(-1);
  if (summary?.type !== 'summary') throw new Error(`the last line is not the summary: ${stdout}`);
  return {
    lines,
    summary,
    decisions: lines.filter((line) => line.type === 'decision'),
  };
}
