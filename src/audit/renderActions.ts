import type { ActionRecord } from './actionTypes.js';
import { describeAction } from './formatActions.js';
import { escapeHtml } from './html.js';
import { formatDate } from './text.js';

/** The newest operator actions (`#actions`, each `li.action`): when, who and how, what, why. */
export function renderActions(actions: readonly ActionRecord[], total: number): string {
  const items = actions
    .map(
      (a) =>
        `<li class="action" data-action="${escapeHtml(a.action)}"><time datetime="${a.at.toISOString()}">${formatDate(a.at)} UTC</time> ` +
        `<span class="actor">${escapeHtml(a.actor)}</span> <span class="via">(${escapeHtml(a.via)})</span> ` +
        `<code>${escapeHtml(describeAction(a))}</code>${a.reason ? `: <span class="reason">${escapeHtml(a.reason)}</span>` : ''}</li>`,
    )
    .join('\n');
  const more =
    total > actions.length
      ? `<p class="note">the newest ${actions.length} of ${total}; GET /api/audit-log pages through all</p>`
      : '';
  return `<section id="actions"><h2>Operator actions <span class="total">${total}</span></h2>${more}\n${items ? `<ul class="actions">${items}</ul>` : '<p class="empty">none</p>'}\n</section>`;
}
