import { parseJson, type SourcePosition } from './parse.js';
import { locatePointer } from './pointer.js';

/** `file:line:column` (or just the file when the position is unknown), the form editors and CI link. */
export function formatLocation(where: {
  file: string;
  line?: number | null;
  column?: number | null;
}): string {
  return where.line ? `${where.file}:${where.line}:${where.column ?? 1}` : where.file;
}

/**
 * Where a JSON pointer's value starts in a manifest's text (a missing key: its nearest parent),
 * for problems found after parsing, such as the planner's refusals; undefined when the text is not
 * JSON. It parses the text again, so it is for the rare refusal, not for every manifest.
 */
export function locateInText(text: string, pointer: string): SourcePosition | undefined {
  return locatePointer(parseJson(text, '').positions, pointer);
}
