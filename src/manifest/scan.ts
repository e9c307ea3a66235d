/** One scanned token: its value and the index just after it, or what is wrong and where. */
export type Scanned =
  | { ok: true; value: unknown; end: number }
  | { ok: false; message: string; at: number };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_LIKE = /[-+0-9A-Za-z.]*/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);
const LITERALS = new Map<string, unknown>([
  ['true', true],
  ['false', false],
  ['null', null],
]);

/** A character as a message shows it: control characters escaped. */
export function showChar(text: string, at: number): string {
  const found = text[at] ?? '';
  return found < ' ' ? JSON.stringify(found) : found;
}

function scanString(text: string, start: number): Scanned {
  let at = start + 1;
  let out = '';
  let chunk = at;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 0x22) return { ok: true, value: out + text.slice(chunk, at), end: at + 1 };
    if (c === 0x5c) {
      out += text.slice(chunk, at);
      const escaped = text[at + 1] ?? '';
      const hex = text.slice(at + 2, at + 6);
      if (escaped === 'u' && HEX4.test(hex)) {
        out += String.fromCharCode(Number.parseInt(hex, 16));
        at += 6;
      } else if (ESCAPES.has(escaped)) {
        out += ESCAPES.get(escaped);
        at += 2;
      } else {
        const message = `invalid escape \`\\${showChar(text, at + 1)}\` in a string: use one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`;
        return { ok: false, message, at: at + 1 };
      }
      chunk = at;
    } else if (Number.isNaN(c)) return { ok: false, message: 'unterminated string', at };
    else if (c < 0x20) {
      const message = `unterminated string or raw control character \`${showChar(text, at)}\` in a string`;
      return { ok: false, message, at };
    } else at++;
  }
}

function scanNumber(text: string, start: number): Scanned {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  if (match && !/[0-9A-Za-z.+-]/.test(text[NUMBER.lastIndex] ?? '')) {
    return { ok: true, value: Number(match[0]), end: NUMBER.lastIndex };
  }
  NUMBER_LIKE.lastIndex = start;
  const token = NUMBER_LIKE.exec(text)?.[0] ?? '';
  const at = start + token.length >= text.length ? text.length : start;
  return { ok: false, message: `invalid number \`${token.slice(0, 40)}\``, at };
}

function scanLiteral(text: string, start: number): Scanned {
  for (const [word, value] of LITERALS) {
    if (text.startsWith(word, start)) return { ok: true, value, end: start + word.length };
    if (start + word.length > text.length && word.startsWith(text.slice(start))) {
      return { ok: false, message: `incomplete \`${word}\``, at: text.length };
    }
  }
  const message = `expected a value (object, array, string, number, true, false or null), found \`${showChar(text, start)}\``;
  return { ok: false, message, at: start };
}

/** Scans the string, number or literal that starts at `start` (which must not be `{` or `[`). */
export function scanToken(text: string, start: number): Scanned {
  const c = text[start];
  if (c === '"') return scanString(text, start);
  if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return scanNumber(text, start);
  return scanLiteral(text, start);
}
