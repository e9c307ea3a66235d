import { escapeHtml } from './html.js';
import { historyHref, renderVersionTable } from './renderConnectors.js';
import { renderDocument } from './renderPage.js';
import type { ConnectorSummary, VersionRecord } from './types.js';

/** What a connector's history page shows, read beforehand. */
export interface HistoryPageInput {
  connector: ConnectorSummary;
  /** One page of its versions, newest first. */
  versions: readonly VersionRecord[];
  /** The next (older) page's `?after=` token, when more versions follow. */
  next: string | null;
  /** This page is not the first (it was asked for with `?after=`). */
  paged: boolean;
  commitUrl: string | null;
  generatedAt: Date;
}

/**
 * `GET /connectors/{slug}`: one connector's full history, a page of versions at a time, newest
 * first, with a link to the older ones. The same hooks as the list: `.connector`, `.version`. Pure.
 */
export function renderHistoryPage(input: HistoryPageInput): string {
  const { connector } = input;
  const slug = escapeHtml(connector.slug);
  const older = input.next
    ? `<p class="pages"><a class="next" rel="next" href="${escapeHtml(`${historyHref(connector.slug)}?after=${encodeURIComponent(input.next)}`)}">older versions</a></p>`
    : '';
  const first = input.paged
    ? ` · <a href="${escapeHtml(historyHref(connector.slug))}">newest versions</a>`
    : '';
  const body =
    `<p><a href="/">all connectors</a>${first}</p>` +
    `<section class="connector" id="connector-${slug}" data-slug="${slug}">` +
    `<h2><span class="slug">${slug}</span> <span class="name">${escapeHtml(connector.name)}</span> ` +
    `<span class="state state-${escapeHtml(connector.status)}">${escapeHtml(connector.status)}</span> ` +
    `<span class="count">${connector.versionCount} version(s)</span></h2>\n` +
    `${renderVersionTable(input.versions, input.commitUrl)}\n${older}</section>`;
  return renderDocument({
    title: `${connector.slug} · manifest-sync`,
    generatedAt: input.generatedAt,
    body,
  });
}
