/**
 * The plain title index the search page links for readers without JavaScript
 * (or on file://, where Pagefind cannot load): one page per outlet and month,
 * titles only, at titles/<outlet>/<yyyy-mm>.html.
 */
import type { Entry, ListPage, OutletSummary } from './collections.ts';

export interface TitlePage {
  outlet: string;
  /** "yyyy-mm". */
  month: string;
  /** Root-relative output file. */
  path: string;
  /** Newest first. */
  entries: Entry[];
}

export const titlePagePath = (outlet: string, month: string): string => `titles/${outlet}/${month}.html`;

/**
 * Group the archive's month pages (newest month first, each newest first) by
 * outlet: outlets in `outlets` order, each outlet's months newest first.
 */
export function titlePages(monthPages: readonly ListPage[], outlets: readonly Pick<OutletSummary, 'id'>[]): TitlePage[] {
  const byOutlet = new Map<string, Map<string, Entry[]>>(outlets.map((o) => [o.id, new Map()]));
  for (const page of monthPages) {
    for (const entry of page.entries) {
      const outlet = entry.article.outlet;
      let months = byOutlet.get(outlet);
      if (!months) byOutlet.set(outlet, (months = new Map()));
      const list = months.get(page.key) ?? [];
      if (list.length === 0) months.set(page.key, list);
      list.push(entry);
    }
  }
  return [...byOutlet].flatMap(([outlet, months]) => [...months].map(([month, entries]) => ({ outlet, month, path: titlePagePath(outlet, month), entries })));
}
