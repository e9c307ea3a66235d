import { shortSha } from './text.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Whether a commit URL template is usable: http(s), with a `{sha}` placeholder. */
export function isCommitUrlTemplate(template: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/.test(template) && template.includes('{sha}');
}

/**
 * A commit's short sha, linked through the template (`https://github.com/org/repo/commit/{sha}`)
 * when there is one; the full sha is the title either way.
 */
export function commitLink(sha: string, template: string | null): string {
  const text = `<code title="${escapeHtml(sha)}">${escapeHtml(shortSha(sha))}</code>`;
  if (!template || !/^[0-9a-f]{4,64}$/.test(sha)) return text;
  const href = template.replaceAll('{sha}', sha);
  return `<a class="commit" href="${escapeHtml(href)}">${text}</a>`;
}
