import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The clock and ids are inputs like any other: one module supplies the defaults (src/clock.ts),
// everything else is handed them. This keeps a stray `new Date()` from slipping back in.
const SRC = join(import.meta.dirname, '../../src');
const ALLOWED = new Set(['clock.ts']);
const HIDDEN = [/\bnew Date\(\s*\)/, /\brandomUUID\(/, /\bDate\.now\(/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The file's code lines, without comments (a doc comment may name `new Date()`). */
function codeLines(text: string): { line: number; code: string }[] {
  return text
    .split('\n')
    .map((code, index) => ({ line: index + 1, code: code.replace(/\/\/.*$/, '') }))
    .filter(({ code }) => !/^\s*(\*|\/\*\*?)/.test(code));
}

describe('hidden inputs', () => {
  it('only src/clock.ts reads the wall clock or makes random ids', () => {
    const found: string[] = [];
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const name = relative(SRC, file);
      if (ALLOWED.has(name)) continue;
      for (const { line, code } of codeLines(readFileSync(file, 'utf8'))) {
        if (HIDDEN.some((pattern) => pattern.test(code)))
          found.push(`${name}:${line}: ${code.trim()}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('finds one when it is there', () => {
    const lines = codeLines('const a = 1;\n// new Date()\nconst at = new Date();\n');
    expect(lines.filter(({ code }) => HIDDEN.some((p) => p.test(code))).map((l) => l.line)).toEqual(
      [3],
    );
  });
});
