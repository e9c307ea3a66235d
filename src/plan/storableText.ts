/** Unpaired UTF-16 surrogates, which PostgreSQL's text refuses although JavaScript strings hold them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whether PostgreSQL would refuse this text: a NUL or an unpaired surrogate. Pure. */
export function isUnstorable(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return text.includes('\0') || LONE_SURROGATE.test(text);
}

/** The text with NULs and unpaired surrogates replaced by U+FFFD, cut to `max` characters. Pure. */
export function storableText(text: string, max: number): string {
  const safe = text.replaceAll('\0', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
