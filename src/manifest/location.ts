/** `file:line:column` (or just the file when the position is unknown), the form editors and CI link. */
export function formatLocation(where: {
  file: string;
  line?: number | null;
  column?: number | null;
}): string {
  return where.line ? `${where.file}:${where.line}:${where.column ?? 1}` : where.file;
}
