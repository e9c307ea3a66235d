import { distance } from 'fastest-levenshtein';

/**
 * The known names closest to a mistyped one, best first: within an edit distance of a third of
 * its length (at least 2, at most 3), or containing it / contained in it. At most `limit`.
 */
export function suggestNames(typed: string, known: readonly string[], limit = 3): string[] {
  if (typed === '') return [];
  const reach = Math.min(3, Math.max(2, Math.floor(typed.length / 3)));
  return known
    .map((name) => ({ name, d: distance(typed, name) }))
    .filter(({ name, d }) => d <= reach || (typed.length >= 3 && name.includes(typed)))
    .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map(({ name }) => name);
}
