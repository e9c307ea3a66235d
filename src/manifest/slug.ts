import type { ManifestProblem } from './types.js';

/** The form of a slug (and so of a manifest's file name): lowercase words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The slug a manifest's path implies: its base name without `.json` (`manifests/gmail.json` is `gmail`). */
export function slugFromPath(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return base.endsWith('.json') ? base.slice(0, -'.json'.length) : base;
}

/** Finds slugs claimed by more than one file: one problem per file, naming every file that claims it. */
export function findSlugClashes(
  entries: readonly { file: string; slug: string }[],
): ManifestProblem[] {
  const filesBySlug = new Map<string, string[]>();
  for (const { file, slug } of entries) {
    const files = filesBySlug.get(slug);
    if (files) files.push(file);
    else filesBySlug.set(slug, [file]);
  }
  const problems: ManifestProblem[] = [];
  for (const [slug, files] of filesBySlug) {
    if (files.length < 2) continue;
    for (const file of files) {
      const others = files.filter((other) => other !== file).map((other) => `\`${other}\``);
      problems.push({
        file,
        pointer: '/slug',
        code: 'slug-clash',
        message: `\`${file}\` and ${others.join(' and ')} both claim the slug \`${slug}\`: each slug belongs to one file`,
      });
    }
  }
  return problems;
}
